"""Forms of the help-request pages: they read what was typed; the services decide (and say what is wrong)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from peer_counselors.models import MESSAGE_MAX, REASON_MAX, TEXT_MAX, Outcome, Topic

ANY = ""


class AskForm(HeardForm):
    topic = forms.ChoiceField(label=_("What is it about?"), choices=Topic.choices, widget=forms.RadioSelect)
    # No max_length here: the service says how long it is, and a child who wrote too much keeps every word.
    text = forms.CharField(
        label=_("Tell us in a few words"), widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX, "class": "answer-text"}),
        help_text=_("Only the orange hat who helps you, and the school's counselors, will read this."),
        strip=True,
    )
    # The screen can miss what a child knows is serious: they can send it to an adult themselves.
    asked_adult = forms.BooleanField(
        label=_("I want an adult to read this, not a student"), required=False,
        help_text=_("Tick this if you or someone else might get hurt, or you do not feel safe. "
                    "It goes straight to the school's counselor."),
    )
    wanted = forms.TypedChoiceField(label=_("Who would you like to talk to?"), coerce=int, empty_value=None, required=False)
    meet_period = forms.TypedChoiceField(label=_("When can you meet?"), coerce=int, empty_value=None, required=False)
    classmate = forms.CharField(
        label=_("Is a classmate part of it? (you can leave this empty)"), required=False, max_length=100,
        help_text=_("Their first name is enough."),
    )

    def __init__(self, *args, peers, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.peers = {p.pk: p for p in peers}
        self.periods = {p.pk: p for p in periods}
        self.fields["text"].error_messages["required"] = _("Write a few words about what happened.")
        self.fields["topic"].error_messages["required"] = _("Choose what it is about.")
        self.fields["wanted"].choices = [(ANY, _("Any orange hat"))] + [
            (p.pk, p.student.display_name) for p in peers
        ]
        self.fields["meet_period"].choices = [(ANY, _("Any time"))] + [(p.pk, p.name) for p in periods]

    def cleaned_objects(self) -> dict:
        data = self.cleaned_data
        return {
            "topic": data["topic"], "text": data["text"], "classmate": data.get("classmate", ""),
            "wanted": self.peers.get(data.get("wanted")), "meet_period": self.periods.get(data.get("meet_period")),
            "asked_adult": bool(data.get("asked_adult")),
        }


class MessageForm(HeardForm):
    body = forms.CharField(
        label=_("Write a message"), widget=forms.Textarea(attrs={"rows": 2, "maxlength": MESSAGE_MAX}), strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].error_messages["required"] = _("Write a message first.")


class ProposeForm(HeardForm):
    when = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Where (for example: the library)"), max_length=100, required=False)

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["when"].error_messages["required"] = _("Give the day and the time.")
        self.fields["when"].error_messages["invalid"] = _("Enter a day and a time, for example 2026-10-05 12:15.")

    def full_clean(self):
        with timezone.override(self.zone):  # typed times are the school's wall clock
            super().full_clean()


class MeetingForm(HeardForm):
    met_on = forms.DateField(label=_("The day you met"), widget=forms.DateInput(attrs={"type": "date"}))
    outcome = forms.ChoiceField(label=_("How did it go?"), choices=Outcome.choices, widget=forms.RadioSelect)
    both_agreed = forms.TypedChoiceField(
        label=_("Did both students agree to talk?"), required=False, widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes", empty_value=None,
    )
    agreement = forms.CharField(
        label=_("What did they agree on? (if they did)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}), max_length=1000,
    )
    note = forms.CharField(
        label=_("Anything the counselor should know?"), required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}), max_length=1000,
    )

    def __init__(self, *args, classmate: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not classmate:
            del self.fields["both_agreed"]
        self.fields["outcome"].error_messages["required"] = _("Choose how it went.")
        self.fields["met_on"].error_messages["required"] = _("Give the day you met.")


class ReasonForm(HeardForm):
    reason = forms.CharField(label=_("Reason (it goes in the log)"), max_length=REASON_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Give a reason: it goes in the request's log.")


class ReassignForm(ReasonForm):
    to = forms.TypedChoiceField(label=_("Give it to"), coerce=int)

    def __init__(self, *args, peers, **kwargs):
        super().__init__(*args, **kwargs)
        self.peers = {p.pk: p for p in peers}
        self.fields["to"].choices = [(p.pk, p.student.display_name) for p in peers]


def local(moment: datetime | None, zone: ZoneInfo):
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None
