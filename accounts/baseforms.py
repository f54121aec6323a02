"""The base of every Heard form: Heard's own words where Django's stock text would show.

Not named forms.py: accounts.signin (imported by the selectors) needs it, and forms sit above selectors.

Django's "Ensure this value has at most 100 characters (it has 140)." reads like a machine to a
child or a busy teacher; every field with a length limit says it Heard's way instead, in the
reader's language. A field that sets its own ``max_length`` message keeps it. Set on the class's
fields once, when the class is made: the roster's row forms share their fields between rows.
"""

from django import forms
from django.forms.forms import DeclarativeFieldsMetaclass
from django.utils.translation import gettext_lazy as _

MAX_LENGTH_MESSAGE = _("This is too long: keep it to %(limit_value)d characters at most (it has %(show_value)d).")


class HeardFormMetaclass(DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):
        form_class = super().__new__(mcs, name, bases, attrs)
        for field in form_class.base_fields.values():
            if getattr(field, "max_length", None) is not None:
                field.error_messages.setdefault("max_length", MAX_LENGTH_MESSAGE)
        return form_class


class HeardForm(forms.Form, metaclass=HeardFormMetaclass):
    """``forms.Form`` with Heard's wording; every form of Heard's apps derives from it (tests/test_architecture.py)."""
