"""The import form: an instrument file uploaded, or its JSON pasted, read and validated whole.

A file's problems are listed by item (``self.problems``); a file that was uploaded is put in the text box
then, so the admin can fix it there and send it again without finding the file.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.baseforms import HeardForm
from surveys.instruments.files import MAX_FILE_BYTES, InstrumentFileError, instrument_from_json

PROBLEMS_SHOWN_MAX = 200


def _too_big(size: int) -> str:
    return _("This is %(size)s KB; an instrument file is at most %(max)d KB.") % {
        "size": f"{size / 1024:,.0f}",
        "max": MAX_FILE_BYTES // 1024,
    }


class InstrumentImportForm(HeardForm):
    file = forms.FileField(
        label=gettext_lazy("Instrument file (.json)"),
        required=False,
        allow_empty_file=True,  # said with the other problems: "not JSON"
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the instrument's JSON"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "class": "font-monospace", "spellcheck": "false", "autocomplete": "off"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = []

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:
            raise ValidationError(_too_big(upload.size))
        return upload

    def clean_text(self):
        text = self.cleaned_data.get("text", "")
        if len(text.encode()) > MAX_FILE_BYTES:
            raise ValidationError(_too_big(len(text.encode())))
        return text

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        upload, text = cleaned.get("file"), cleaned.get("text", "")
        if upload and text.strip():
            raise ValidationError(_("Upload a file or paste the JSON, not both."))
        if not upload and not text.strip():
            raise ValidationError(_("Choose a .json file, or paste the instrument's JSON."))
        source = text
        if upload:
            raw = upload.read()
            try:
                source = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                source = raw
            else:  # shown in the text box, to be fixed there
                self.data = self.data.copy()
                self.data[self.add_prefix("text")] = source
        try:
            cleaned["spec"] = instrument_from_json(source)
        except InstrumentFileError as error:
            self.problems = error.problems
            n = len(error.problems)
            raise ValidationError(
                ngettext(
                    "Nothing was imported: the file has %(n)d problem, listed below.",
                    "Nothing was imported: the file has %(n)d problems, listed below by item.",
                    n,
                )
                % {"n": n}
            ) from None
        return cleaned

    @property
    def problems_shown(self):
        return self.problems[:PROBLEMS_SHOWN_MAX]

    @property
    def problems_hidden(self) -> int:
        return max(0, len(self.problems) - PROBLEMS_SHOWN_MAX)
