"""The safety chain of a flagged help request and the word of unclaimed ones, driven by the reminder dispatcher
with frozen time: each step once, in order, and never after an adult opened the request; the last contact
always reached; nothing the student wrote in an e-mail to an admin or the last contact."""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.urls import reverse

from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from notifications.reminders import reminder_sweeps
from notifications.services import notification_emails_send
from peer_counselors import screening, services
from peer_counselors.escalation import services as escalation
from peer_counselors.escalation.services import help_requests_escalate_flagged
from peer_counselors.models import HelpDesk, HelpRequest, HelpRequestEvent, Topic
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    PeerCounselorFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db
Kind = HelpRequestEvent.Kind
Status = HelpRequest.Status
CHICAGO = ZoneInfo("America/Chicago")
WORDS = "I want to kill myself because Jordan took my phone at the bus stop"
MINUTE = timedelta(minutes=1)
STEP = timedelta(minutes=15)  # settings.HELP_FLAG_ESCALATE_MINUTES


def chicago(*args) -> datetime:
    """A wall-clock time in Chicago, as a UTC moment (so adding minutes adds real minutes, across a DST change)."""
    return datetime(*args, tzinfo=CHICAGO).astimezone(UTC)


WEDNESDAY_10 = chicago(2026, 10, 7, 10, 0)


@pytest.fixture
def people():
    """A grade-4 student of Room 4B, the school's counselor and admin, and its help desk's last contact."""
    school = SchoolFactory(name="Maple Elementary")
    student = StudentFactory(school=school, first_name="Mia", last_name="Stone", grade=4)
    ClassroomFactory(school=school, name="Room 4B", grade=4, students=[student])
    HelpDesk.objects.create(school=school, last_contact_name="Sam Lee", last_contact_email="safety@district.example")
    return {
        "school": school,
        "student": student,
        "counselor": CounselorFactory(school=school, first_name="Dana", last_name="Reyes"),
        "admin": SchoolAdminFactory(school=school, first_name="Pat", last_name="Lowe", email="principal@maple.example"),
        "peer": PeerCounselorFactory(school=school),
    }


@pytest.fixture
def clock(time_machine):
    def move(moment: datetime) -> datetime:
        time_machine.move_to(moment, tick=False)
        return moment

    move(WEDNESDAY_10)
    return move


def file(student, text=WORDS) -> HelpRequest:
    return services.help_request_file(requester=student, topic=Topic.OTHER, text=text)


def steps(request) -> list[tuple[int, str]]:
    return list(
        HelpRequestEvent.objects.filter(request=request, kind=Kind.ESCALATED).order_by("pk").values_list("step", "reason")
    )


def escalated() -> list[tuple[int | None, str, datetime]]:
    """Who each escalation notification went to (a user's pk, or an address), and its moment, in that order."""
    return sorted(
        Notification.objects.filter(kind=Notification.Kind.HELP_ESCALATED).values_list("recipient_id", "to_email", "due_at"),
        key=lambda row: (row[2], row[0] or 0, row[1]),
    )


def test_the_chains_sweeps_are_registered_with_the_dispatcher():
    names = {f"{s.__module__}.{s.__name__}" for s in reminder_sweeps()}
    assert {
        "peer_counselors.escalation.services.help_requests_escalate_flagged",
        "peer_counselors.escalation.services.help_requests_escalate_unclaimed",
    } <= names


def test_each_step_reaches_the_next_people_once_every_fifteen_minutes(people, clock):
    """Counselors again at 15 minutes, the admin at 30, the last contact at 45; each step once however often
    the dispatcher runs, and nothing after the third."""
    request = file(people["student"])
    counselor, admin = people["counselor"], people["admin"]
    clock(WEDNESDAY_10 + STEP - MINUTE)
    reminders_dispatch()
    assert steps(request) == []
    clock(WEDNESDAY_10 + STEP)
    reminders_dispatch()
    reminders_dispatch()
    assert steps(request) == [(1, "counselors:1")]
    clock(WEDNESDAY_10 + 2 * STEP + MINUTE)
    reminders_dispatch()
    clock(WEDNESDAY_10 + 3 * STEP)
    reminders_dispatch()
    reminders_dispatch()
    clock(WEDNESDAY_10 + 10 * STEP)
    reminders_dispatch()
    assert steps(request) == [(1, "counselors:1"), (2, "admins:1"), (3, "last_contact:safety@district.example")]
    assert escalated() == [
        (counselor.pk, "", WEDNESDAY_10 + STEP),
        (admin.pk, "", WEDNESDAY_10 + 2 * STEP),
        (None, "safety@district.example", WEDNESDAY_10 + 3 * STEP),
    ]
    to_counselor = Notification.objects.get(kind=Notification.Kind.HELP_ESCALATED, recipient=counselor)
    assert to_counselor.url == reverse("peer_counselors:request", args=[request.pk])
    assert to_counselor.title == "Urgent: a flagged help request is still not opened after 15 minutes"
    assert to_counselor.email_status == Notification.EmailStatus.PENDING
    assert set(Notification.objects.filter(kind=Notification.Kind.HELP_ESCALATED).values_list("email_status", flat=True)) == {
        Notification.EmailStatus.PENDING
    }
    assert not Notification.objects.filter(recipient=people["peer"], subject_key=f"peer_counselors.helprequest:{request.pk}").exists()


def test_no_step_is_taken_once_an_adult_has_opened_the_request(people, clock):
    """The counselor opens it after the first step: no admin, no last contact, however long it stays open."""
    request = file(people["student"])
    clock(WEDNESDAY_10 + STEP)
    reminders_dispatch()
    clock(WEDNESDAY_10 + STEP + 3 * MINUTE)
    services.help_request_view_record(request=request, by=people["counselor"])
    for later in (2, 3, 10):
        clock(WEDNESDAY_10 + later * STEP)
        reminders_dispatch()
    assert steps(request) == [(1, "counselors:1")]
    assert [row[0] for row in escalated()] == [people["counselor"].pk]


def test_a_look_by_a_peer_or_a_teacher_does_not_stop_the_chain(people, clock):
    """Only an adult counselor's look counts as opened (a peer cannot even see it; the log still records a look)."""
    request = file(people["student"])
    services.help_request_view_record(request=request, by=people["admin"])
    clock(WEDNESDAY_10 + STEP)
    reminders_dispatch()
    assert steps(request) == [(1, "counselors:1")]


def test_a_request_opened_before_its_first_step_is_never_escalated(people, clock):
    request = file(people["student"])
    clock(WEDNESDAY_10 + 5 * MINUTE)
    services.help_request_view_record(request=request, by=people["counselor"])
    clock(WEDNESDAY_10 + 4 * STEP)
    reminders_dispatch()
    assert steps(request) == [] and escalated() == []


def test_a_dispatcher_down_for_an_hour_takes_every_due_step_at_once_in_order(people, clock):
    request = file(people["student"])
    clock(WEDNESDAY_10 + timedelta(hours=1, minutes=2))
    assert reminders_dispatch() >= 3
    reminders_dispatch()
    assert [step for step, _reason in steps(request)] == [1, 2, 3]
    assert [row[2] for row in escalated()] == [WEDNESDAY_10 + STEP, WEDNESDAY_10 + 2 * STEP, WEDNESDAY_10 + 3 * STEP]
    # Each says how long it has really been.
    assert Notification.objects.get(recipient=people["counselor"], kind=Notification.Kind.HELP_ESCALATED).title.endswith(
        "after 62 minutes"
    )


def test_two_dispatchers_at_the_same_step_take_it_once(people, clock, monkeypatch):
    """A second dispatcher takes step 1 while the first is about to: the first's insert of the step's event
    fails, and it sends nothing (only the inserter of the row sends the step)."""
    request = file(people["student"])
    now = clock(WEDNESDAY_10 + STEP)
    real_step = escalation._Chain.step
    second: list[int] = []

    def step_with_a_rival(chain, help_request, number):
        if not second:
            second.append(None)
            second[0] = help_requests_escalate_flagged(now=now)  # gets in first, and takes the step
        return real_step(chain, help_request, number)

    monkeypatch.setattr(escalation._Chain, "step", step_with_a_rival)
    assert help_requests_escalate_flagged(now=now) == 0  # found the step taken when writing it
    assert second == [1]
    assert steps(request) == [(1, "counselors:1")]
    assert [row[0] for row in escalated()] == [people["counselor"].pk]


def test_the_last_contact_is_reached_even_when_the_school_has_no_counselor_and_no_admin(clock):
    """Steps 1 and 2 find nobody, are logged as such, and step 3 still reaches the help desk's last contact."""
    student = StudentFactory(grade=2)
    HelpDesk.objects.create(school=student.school, last_contact_email="nurse@school.example")
    request = file(student)
    clock(WEDNESDAY_10 + 3 * STEP)
    reminders_dispatch()
    assert steps(request) == [(1, "counselors:0"), (2, "admins:0"), (3, "last_contact:nurse@school.example")]
    assert escalated() == [(None, "nurse@school.example", WEDNESDAY_10 + 3 * STEP)]


def test_a_school_without_a_last_contact_of_its_own_reaches_the_districts(people, clock, settings):
    settings.HELP_LAST_CONTACT_EMAIL = "safety-lead@district.example"
    HelpDesk.objects.filter(school=people["school"]).update(last_contact_email="")
    request = file(people["student"])
    clock(WEDNESDAY_10 + 3 * STEP)
    reminders_dispatch()
    assert steps(request)[-1] == (3, "last_contact:safety-lead@district.example")
    assert escalated()[-1] == (None, "safety-lead@district.example", WEDNESDAY_10 + 3 * STEP)


def test_with_no_last_contact_anywhere_step_three_goes_to_the_counselors_and_admins_again(people, clock, settings, caplog):
    """Never silently nothing: the counselors and admins hear a second time, and the gap is logged as an error."""
    settings.HELP_LAST_CONTACT_EMAIL = ""
    HelpDesk.objects.filter(school=people["school"]).delete()
    request = file(people["student"])
    clock(WEDNESDAY_10 + 3 * STEP)
    with caplog.at_level(logging.ERROR, logger="peer_counselors.escalation.services"):
        reminders_dispatch()
    assert steps(request)[-1] == (3, "no_last_contact;counselors_and_admins:2")
    counselor, admin = people["counselor"].pk, people["admin"].pk
    assert escalated() == [
        (counselor, "", WEDNESDAY_10 + STEP),
        (admin, "", WEDNESDAY_10 + 2 * STEP),
        *sorted([(counselor, "", WEDNESDAY_10 + 3 * STEP), (admin, "", WEDNESDAY_10 + 3 * STEP)]),
    ]
    assert f"Help request {request.pk}: no last contact" in caplog.text


def test_the_admins_and_the_last_contacts_emails_say_who_and_where_but_not_what_the_student_wrote(people, clock):
    """Name, classroom and grade, school and how long, so they can find the student; not a word of the request."""
    request = file(people["student"])
    for step in (1, 2, 3):
        clock(WEDNESDAY_10 + step * STEP)
        reminders_dispatch()
    mail.outbox.clear()  # the first alert's e-mail; here only the chain's
    notification_emails_send()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {people["counselor"].email, "principal@maple.example", "safety@district.example"}
    for address in ("principal@maple.example", "safety@district.example"):
        message = by_address[address]
        text = f"{message.subject}\n{message.body}"
        for word in ("kill", "Jordan", "phone", "bus stop", WORDS):
            assert word not in text
        assert "Mia Stone, Room 4B (Grade 4), Maple Elementary, asked for help in Heard" in text
        assert "/help/" not in text  # no link: an admin reads aggregates only
    assert "30 minutes ago" in by_address["principal@maple.example"].body
    assert "45 minutes ago" in by_address["safety@district.example"].body
    assert "You are the last contact of Maple Elementary" in by_address["safety@district.example"].body
    assert "named you the last contact" in by_address["safety@district.example"].body
    to_counselor = by_address[people["counselor"].email].body
    assert reverse("peer_counselors:request", args=[request.pk]) in to_counselor
    assert "kill" not in to_counselor and "Jordan" not in to_counselor


def test_a_student_in_no_classroom_is_described_by_grade(clock):
    student = StudentFactory(grade=5, first_name="Ana", last_name="Ruiz")
    SchoolAdminFactory(school=student.school, email="head@school.example")
    file(student)
    clock(WEDNESDAY_10 + 2 * STEP)
    reminders_dispatch()
    body = Notification.objects.get(kind=Notification.Kind.HELP_ESCALATED, to_email="", recipient__role="school_admin").body
    assert body.startswith(f"Ana Ruiz, Grade 5, {student.school.name}, asked for help in Heard 30 minutes ago")


def test_a_request_whose_screen_failed_is_escalated_as_a_flagged_one(people, clock, monkeypatch):
    def broken(text):
        raise RuntimeError("word list missing")

    monkeypatch.setattr(screening, "screen", broken)
    request = file(people["student"], "Can someone help me with my friend")
    assert request.screen_failed and not request.flagged
    clock(WEDNESDAY_10 + STEP)
    reminders_dispatch()
    assert steps(request) == [(1, "counselors:1")]


def test_a_withdrawn_flagged_request_still_climbs_the_chain_but_a_closed_or_unflagged_one_does_not(people, clock):
    withdrawn, closed, unflagged = file(people["student"]), file(people["student"]), file(people["student"])
    services.help_request_withdraw(request=withdrawn, by=people["student"])
    services.help_request_close(request=closed, by=people["counselor"], reason="Talked with her")
    services.help_request_unflag(request=unflagged, by=people["counselor"], reason="A song lyric")
    clock(WEDNESDAY_10 + 3 * STEP)
    reminders_dispatch()
    assert [step for step, _ in steps(withdrawn)] == [1, 2, 3]
    assert steps(closed) == [] and steps(unflagged) == []


def test_an_ordinary_request_has_no_safety_chain(people, clock):
    request = file(people["student"], "My friend and I keep fighting at recess.")
    clock(WEDNESDAY_10 + 4 * STEP)
    reminders_dispatch()
    assert steps(request) == []


@pytest.mark.parametrize(
    "flagged_at, first_step_local",
    [
        (chicago(2026, 11, 1, 1, 50), "01:05"),  # clocks fall back at 02:00 CDT: 15 minutes later reads 01:05 CST
        (chicago(2026, 3, 8, 1, 50), "03:05"),  # clocks spring forward at 02:00 CST: it reads 03:05 CDT
    ],
)
def test_on_a_dst_night_the_steps_come_every_fifteen_real_minutes(people, clock, flagged_at, first_step_local):
    clock(flagged_at)
    request = file(people["student"])
    clock(flagged_at + STEP - MINUTE)
    reminders_dispatch()
    assert steps(request) == []
    clock(flagged_at + STEP)
    reminders_dispatch()
    clock(flagged_at + 2 * STEP)
    reminders_dispatch()
    assert [step for step, _ in steps(request)] == [1, 2]
    first = Notification.objects.get(kind=Notification.Kind.HELP_ESCALATED, recipient=people["counselor"])
    assert first.due_at == flagged_at + STEP
    assert f"{first.due_at.astimezone(CHICAGO):%H:%M}" == first_step_local


def test_production_warns_when_no_last_contact_is_set(settings):
    settings.DEBUG = False
    settings.HELP_LAST_CONTACT_EMAIL = ""
    assert "peer_counselors.W001" in {message.id for message in run_checks(include_deployment_checks=True)}
    settings.HELP_LAST_CONTACT_EMAIL = "safety@district.example"
    assert "peer_counselors.W001" not in {message.id for message in run_checks(include_deployment_checks=True)}
    settings.DEBUG, settings.HELP_LAST_CONTACT_EMAIL = True, ""
    assert "peer_counselors.W001" not in {message.id for message in run_checks(include_deployment_checks=True)}


# --- Requests no orange hat accepted ---------------------------------------------------------------------------


def unclaimed() -> list[tuple[int, datetime]]:
    return sorted(Notification.objects.filter(kind=Notification.Kind.HELP_UNCLAIMED).values_list("recipient_id", "due_at"))


def test_a_request_left_waiting_on_friday_afternoon_reaches_the_counselors_on_monday_afternoon(people, clock):
    """One school day after Friday 14:00 is Monday 14:00, not Saturday: the counselors hear then, once."""
    friday = clock(chicago(2026, 10, 9, 14, 0))
    request = file(people["student"], "Some kids keep leaving me out at lunch.")
    assert request.status == Status.OFFERED
    for moment in (friday + timedelta(hours=2), chicago(2026, 10, 10, 14, 0), chicago(2026, 10, 11, 14, 0),
                   chicago(2026, 10, 12, 13, 59)):  # fmt: skip
        clock(moment)
        reminders_dispatch()
    assert unclaimed() == []
    monday = clock(chicago(2026, 10, 12, 14, 0))
    reminders_dispatch()
    clock(monday + timedelta(hours=3))
    reminders_dispatch()
    assert unclaimed() == [(people["counselor"].pk, monday)]
    event = HelpRequestEvent.objects.get(request=request, kind=Kind.UNCLAIMED)
    assert (event.step, event.reason) == (1, "counselors:1")
    notice = Notification.objects.get(kind=Notification.Kind.HELP_UNCLAIMED)
    assert notice.email_status == Notification.EmailStatus.PENDING
    assert notice.url == reverse("peer_counselors:request", args=[request.pk])
    assert "Mia Stone" in notice.body
    assert not Notification.objects.filter(kind=Notification.Kind.HELP_UNCLAIMED, recipient=people["admin"]).exists()


def test_a_request_made_after_school_counts_from_the_next_morning(people, clock):
    clock(chicago(2026, 10, 7, 17, 0))  # Wednesday, after 15:30
    file(people["student"], "Some kids keep leaving me out at lunch.")
    clock(chicago(2026, 10, 9, 7, 59))  # Friday before school: Thursday 08:00 plus one school day is Friday 08:00
    reminders_dispatch()
    assert unclaimed() == []
    clock(chicago(2026, 10, 9, 8, 0))
    reminders_dispatch()
    assert unclaimed() == [(people["counselor"].pk, chicago(2026, 10, 9, 8, 0))]


def test_across_the_weekend_the_clocks_change_on_monday_is_the_same_wall_clock_time(people, clock):
    """Friday 14:00 CDT to Monday 14:00 CST is 73 hours, not 72."""
    clock(chicago(2026, 10, 30, 14, 0))
    file(people["student"], "Some kids keep leaving me out at lunch.")
    clock(chicago(2026, 11, 2, 13, 59))
    reminders_dispatch()
    assert unclaimed() == []
    clock(chicago(2026, 11, 2, 14, 0))
    reminders_dispatch()
    assert len(unclaimed()) == 1


def test_an_accepted_a_withdrawn_or_a_flagged_request_is_not_unclaimed(people, clock):
    accepted = file(people["student"], "Some kids keep leaving me out at lunch.")
    withdrawn = file(people["student"], "My friend and I keep fighting at recess.")
    file(people["student"])  # flagged: the safety chain has it
    clock(WEDNESDAY_10 + timedelta(hours=1))
    services.help_request_accept(request=accepted, by=people["peer"])
    services.help_request_withdraw(request=withdrawn, by=people["student"])
    clock(WEDNESDAY_10 + timedelta(days=2))
    reminders_dispatch()
    assert unclaimed() == []
    assert not HelpRequestEvent.objects.filter(kind=Kind.UNCLAIMED).exists()


def test_an_unflagged_request_counts_from_when_it_was_offered_again(people, clock):
    request = file(people["student"])
    services.help_request_view_record(request=request, by=people["counselor"])
    clock(chicago(2026, 10, 8, 9, 0))  # Thursday: an adult decides a peer can have it
    services.help_request_unflag(request=request, by=people["counselor"], reason="A quote from a film")
    clock(chicago(2026, 10, 9, 8, 59))
    reminders_dispatch()
    assert unclaimed() == []
    clock(chicago(2026, 10, 9, 9, 0))
    reminders_dispatch()
    assert unclaimed() == [(people["counselor"].pk, chicago(2026, 10, 9, 9, 0))]
