"""Who a student is told to reach, by category of what the screen found: the right line for each, named in the
student's language. Facts (numbers and how to use them), in our words.

* self-harm: 988 Suicide & Crisis Lifeline (call or text 988; in Spanish press 2 on a call, or text AYUDA to
  988), and Crisis Text Line (text HOME to 741741);
* abuse and an unsafe home: Childhelp National Child Abuse Hotline, 1-800-422-4453 (call or text);
* danger right now (harm to others, a weapon, an emergency) and, always, first: 911.

A request flagged by hand or by a failed screen has no category: the student is given 911 and 988, the lines
that cover any danger. A student who sent their request to an adult themselves (they know it is serious, not which
kind) is given 911, Childhelp and 988 (``ASKED_ADULT``).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CrisisLine:
    key: str
    name: Promise
    how: Promise
    number: str = ""  # as a child reads it on the button
    tel: str = ""  # for a tel: link on a phone
    sms: str = ""  # for an sms: link


EMERGENCY = CrisisLine("911", _("Emergency: 911"), _("If someone is in danger right now, call 911."), "911", tel="911")
LIFELINE = CrisisLine(
    "988",
    _("988 Suicide & Crisis Lifeline"),
    _("Call or text 988, any time, day or night. For Spanish, press 2 when you call, or text AYUDA to 988."),
    "988",
    tel="988",
    sms="988",
)
TEXT_LINE = CrisisLine("741741", _("Crisis Text Line"), _("Text HOME to 741741 to talk with someone by text."), "741741", sms="741741")
CHILDHELP = CrisisLine(
    "childhelp",
    _("Childhelp Hotline"),
    _("Call or text 1-800-422-4453 if someone is hurting you or you do not feel safe at home."),
    "1-800-422-4453",
    tel="18004224453",
    sms="18004224453",
)

BY_CATEGORY = {
    "self_harm": (LIFELINE, TEXT_LINE),
    "abuse": (CHILDHELP,),
    "unsafe_home": (CHILDHELP,),
    "harm_to_others": (EMERGENCY,),
    "weapon": (EMERGENCY,),
    "emergency": (EMERGENCY,),
}


ASKED_ADULT = ("emergency", "abuse", "self_harm")


def lines_for(categories) -> list[CrisisLine]:
    """911 first, then each category's lines once, in the screen's order; 911 and 988 when nothing is named."""
    lines = [EMERGENCY]
    for category in categories or ("emergency", "self_harm"):
        for line in BY_CATEGORY.get(category, (EMERGENCY, LIFELINE)):
            if line not in lines:
                lines.append(line)
    return lines


# What an adult reads for each category the screen can find.
CATEGORY_LABELS = {
    "self_harm": _("harm to self"),
    "harm_to_others": _("harm to others"),
    "abuse": _("abuse"),
    "weapon": _("a weapon"),
    "emergency": _("an emergency"),
    "unsafe_home": _("unsafe at home"),
}


def category_labels(categories) -> list:
    return [CATEGORY_LABELS.get(c, c) for c in categories]
