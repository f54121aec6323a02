"""Forms of the student-account pages: names for new accounts, and students to print cards for."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from classrooms.students.services import NewStudent

MAX_NEW_STUDENTS = 40


class NewStudentsForm(HeardForm):
    names = forms.CharField(
        label=_("Students' names"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the reader's language: a lazy string formatted at import is frozen in English.
        self.fields["names"].help_text = _(
            "One student per line: first name, then last name (for example “Maya Rodriguez”). Up to %(n)s at a time."
        ) % {"n": MAX_NEW_STUDENTS}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_names(self) -> list[NewStudent]:
        students, problems = [], []
        lines = [line.strip() for line in self.cleaned_data["names"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            if "," in line:  # "Rodriguez, Maya" as exported by many school systems
                last, _sep, first = (part.strip() for part in line.partition(","))
            else:
                first, _sep, last = line.rpartition(" ")
                if not first:
                    first, last = last, ""
            if not first or len(first) > 150 or len(last) > 150:
                problems.append(_("Line %(n)s (“%(line)s”) needs a first name of at most 150 letters.") % {"n": number, "line": line[:40]})
                continue
            students.append(NewStudent(first_name=" ".join(first.split()), last_name=" ".join(last.split())))
        if problems:
            raise ValidationError(problems)
        if not students:
            raise ValidationError(_("Type at least one name."))
        if len(students) > MAX_NEW_STUDENTS:
            raise ValidationError(
                _("That is %(count)s students; add at most %(max)s at a time.") % {"count": len(students), "max": MAX_NEW_STUDENTS}
            )
        return students


BIGINT_MAX = 2**63 - 1


class StudentsField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # SQLite raises OverflowError (a 500) on an id beyond 64 bits; refuse it as any bad id.
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit()) or int(text) > BIGINT_MAX:
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)


class StudentChoiceForm(HeardForm):
    """Pick students of a roster (sign-in cards with new passwords)."""

    students = StudentsField(
        label=_("Students"), queryset=None, widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Choose at least one student.")}
    )

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = roster
        self.fields["students"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"
