"""Forms of the roster import: the upload, the confirmation, and one form per kind of CSV row.

The row forms hold every rule a single cell or row must follow (lengths, a username Django
accepts, a grade from kindergarten to 8), so the reader in ``roster_import`` only maps columns to
fields and checks what spans several rows. They are plain forms: no database.
"""

import re

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from accounts.models import Grade

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
NAME_MAX = 150  # accounts.User first_name and last_name
USERNAME_MAX = 150  # accounts.User username
CLASSROOM_NAME_MAX = 100  # classrooms.Classroom name

_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
_GRADES = frozenset(int(value) for value in Grade.values)


def _squash(value: str) -> str:
    """One space between words: "Maya  Rodriguez " and "Maya Rodriguez" are the same name."""
    return " ".join(value.split())


def parse_grade(text: str) -> int:
    """``K``, ``KG``, ``Kindergarten``, ``0``, ``03``, ``3rd``, ``Grade 3`` -> 0..8 (OneRoster uses ``KG``, ``01``...)."""
    value = _squash(text).casefold().removeprefix("grade").strip()
    if value in {"k", "kg", "kindergarten"}:
        return int(Grade.KINDERGARTEN)
    match = _ORDINAL.match(value)
    if match:
        value = match.group(1)
    if value.isascii() and value.isdigit() and len(value) <= 2 and int(value) in _GRADES:
        return int(value)
    raise ValidationError(
        _("“%(value)s” is not a grade Heard knows: use K (kindergarten) or 1 to 8."), params={"value": text[:20]}
    )


class GradeField(forms.CharField):
    """A single grade; empty is ``None`` when the field is optional."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_grade(value)


class GradesField(forms.CharField):
    """OneRoster's ``grades``: a comma-separated list of grade codes (``"03,04"``), as a sorted tuple."""

    def to_python(self, value):
        value = super().to_python(value)
        parts = [part for part in (value or "").split(",") if part.strip()]
        return tuple(sorted({parse_grade(part) for part in parts}))


class NameField(forms.CharField):
    def __init__(self, *, max_length=NAME_MAX, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        return _squash(super().to_python(value))


class UsernameField(forms.CharField):
    default_validators = [UnicodeUsernameValidator()]

    def __init__(self, **kwargs):
        super().__init__(max_length=USERNAME_MAX, **kwargs)


class ClassroomNameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=CLASSROOM_NAME_MAX, **kwargs)

    def to_python(self, value):
        return _squash(super().to_python(value))


class _SharedFields(dict):
    def __deepcopy__(self, memo):
        return self


def row_form(form_class):
    """Let every instance of a row form use the class's fields instead of a deep copy of them.

    A form copies its fields for each instance so that one request can change them without
    touching the next; row forms never change theirs, and the copy was half the time of reading
    a 20,000-row file.
    """
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


def _split_full_name(full: str) -> tuple[str, str]:
    """ "Rodriguez, Maya" (as many school systems export) or "Maya Rodriguez" -> first, last."""
    if "," in full:
        last, _sep, first = (part.strip() for part in full.partition(","))
        return first, last
    first, _sep, last = full.rpartition(" ")
    return (first, last) if first else (last, "")


def _username_from(cleaned: dict, form: forms.Form, username_field: str) -> None:
    """No username: the e-mail address is the username (school systems often sign in with it)."""
    if cleaned.get(username_field):
        return
    if cleaned.get("email"):
        cleaned[username_field] = cleaned["email"].lower()
    elif username_field not in form.errors and "email" not in form.errors:
        form.add_error(username_field, _("Give a username or an e-mail address."))


@row_form
class SimpleRowForm(HeardForm):
    """A row of the simple roster: one student in one classroom."""

    name = NameField(required=False, max_length=2 * NAME_MAX + 2)  # "Rodriguez, Maya"
    first_name = NameField(required=False)
    last_name = NameField(required=False)
    username = UsernameField(required=False)
    email = forms.EmailField(required=False)
    grade = GradeField(required=True)
    classroom = ClassroomNameField(required=True)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("first_name") and cleaned.get("name"):
            first, last = _split_full_name(cleaned["name"])
            if len(first) > NAME_MAX or len(last) > NAME_MAX:
                self.add_error("name", _("A first or last name is longer than %(n)s letters.") % {"n": NAME_MAX})
            cleaned["first_name"], cleaned["last_name"] = first, last
        if not cleaned.get("first_name") and not ({"name", "first_name"} & set(self.errors)):
            self.add_error(
                "first_name" if "first_name" in self.data else "name", _("The student's first name is missing.")
            )
        _username_from(cleaned, self, "username")
        return cleaned


@row_form
class OneRosterUserForm(HeardForm):
    """A student or teacher row of OneRoster's users.csv."""

    sourcedId = forms.CharField(max_length=255)  # OneRoster's column names, as written
    role = forms.ChoiceField(choices=[("student", "student"), ("teacher", "teacher")])
    username = UsernameField(required=False)
    givenName = NameField(required=False)
    familyName = NameField(required=False)
    email = forms.EmailField(required=False)
    grades = GradesField(required=False)

    def clean(self):
        cleaned = super().clean()
        _username_from(cleaned, self, "username")
        if cleaned.get("role") == "student":
            if not cleaned.get("givenName") and "givenName" not in self.errors:
                self.add_error("givenName", _("The student's first name is missing."))
            if len(cleaned.get("grades") or ()) > 1:
                self.add_error("grades", _("A student has one grade; this row gives several."))
        return cleaned


@row_form
class OneRosterClassForm(HeardForm):
    """A row of OneRoster's classes.csv: a classroom."""

    sourcedId = forms.CharField(max_length=255)
    title = ClassroomNameField(required=True)
    grades = GradesField(required=False)


@row_form
class OneRosterEnrollmentForm(HeardForm):
    """A row of OneRoster's enrollments.csv: a student in a class, or its teacher."""

    classSourcedId = forms.CharField(max_length=255)
    userSourcedId = forms.CharField(max_length=255)
    role = forms.ChoiceField(choices=[("student", "student"), ("teacher", "teacher")])


class RosterUploadForm(HeardForm):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "A CSV file (one row per student), or a OneRoster .zip holding users.csv, classes.csv and "
            "enrollments.csv. At most 10 MB and 20,000 rows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.zip,text/csv,application/zip"}),
        allow_empty_file=True,  # the reader says what an empty file lacks, with the other refusals
        error_messages={"required": _("Choose a file to import.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("This file is %(size)s MB; import at most 10 MB at a time (split the file by grade or classroom).")
                % {"size": round(upload.size / 1024 / 1024, 1)}
            )
        return upload


class RosterConfirmForm(HeardForm):
    """What the admin saw: the staged import's token and the digest of its preview."""

    token = forms.CharField(max_length=64, widget=forms.HiddenInput)
    digest = forms.CharField(max_length=64, widget=forms.HiddenInput)
