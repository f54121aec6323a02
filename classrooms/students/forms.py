"""Forms of the student-account pages: names for new accounts, and students to print cards for."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from accounts.models import User
from classrooms.students.names import NameLineProblem, name_split
from classrooms.students.services import NewStudent

MAX_NEW_STUDENTS = 40
NAME_MAX = User._meta.get_field("first_name").max_length  # 150, the same for last_name


class NewStudentsForm(HeardForm):
    names = forms.CharField(
        label=_("Students' names"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        # Tabs matter (a spreadsheet's columns): the field must not strip them away before they are read.
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the reader's language: a lazy string formatted at import is frozen in English.
        self.fields["names"].help_text = _(
            "One student per line, up to %(n)s at a time. You can paste the first-name and last-name columns of a spreadsheet."
        ) % {"n": MAX_NEW_STUDENTS}
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_names(self) -> list[NewStudent]:
        students, problems = [], []
        lines = [line.strip(" \r\n") for line in self.cleaned_data["names"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            shown = {"n": number, "line": " ".join(line.split())[:40]}
            try:
                parts = name_split(line)
            except NameLineProblem as problem:
                if problem.reason == NameLineProblem.TOO_MANY_COLUMNS:
                    problems.append(_("Line %(n)s (“%(line)s”) has more than two columns: copy only the first-name and last-name columns.") % shown)
                else:
                    problems.append(_("Line %(n)s (“%(line)s”) has more than one comma: write “Last, First” or “First,Last”.") % shown)
                continue
            if not parts.first or len(parts.first) > NAME_MAX or len(parts.last) > NAME_MAX:
                problems.append(_("Line %(n)s (“%(line)s”) needs a first name of at most 150 letters.") % shown)
                continue
            students.append(NewStudent(first_name=parts.first, last_name=parts.last))
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
        # SQLite raises OverflowError (a 500) on an id beyond 64 bits, PostgreSQL a DataError; refuse it as any bad id.
        for pk in value:
            text = str(pk)
            # The length first: int() refuses a string of over 4,300 digits with a ValueError of its own.
            if not (text.isascii() and text.isdigit()) or len(text) > len(str(BIGINT_MAX)) or int(text) > BIGINT_MAX:
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


class StudentNameForm(HeardForm):
    """A student's name, corrected by their teacher or the school's admin (the username stays)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=NAME_MAX, error_messages={"required": _("Give the student's first name.")}
    )
    last_name = forms.CharField(label=_("Last name (optional)"), max_length=NAME_MAX, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_first_name(self):
        first = " ".join(self.cleaned_data["first_name"].split())
        if not first:
            raise ValidationError(_("Give the student's first name."))
        return first

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())
