"""The teacher's decision on a story: parsed here; the services decide what it may change."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardForm
from curriculum.assignments.services import FEEDBACK_MAX

APPROVE, SEND_BACK, DECLINE = "approve", "send_back", "decline"


class DecisionForm(HeardForm):
    action = forms.ChoiceField(
        choices=[(APPROVE, _("Put it on the wall")), (SEND_BACK, _("Send back")), (DECLINE, _("Keep it off the wall"))]
    )
    note = forms.CharField(
        label=_("Note for the student"),
        required=False,
        max_length=FEEDBACK_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": FEEDBACK_MAX}),
        help_text=_("Needed to send it back: say what to change. Only the student and the class's teachers see it."),
    )
