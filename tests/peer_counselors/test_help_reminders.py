"""The orange hats' own reminders, made by the reminder dispatcher with frozen time, each once and in the app only:
duty starting with requests waiting, and the follow-up check-in two weeks after a meeting."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.tasks import reminders_dispatch
from notifications.models import Notification
from notifications.reminders import reminder_sources
from peer_counselors import services
from peer_counselors.escalation.reminders import duty_reminders_due, follow_up_reminders_due
from peer_counselors.models import HelpRequest, Outcome, Topic
from tests.factories import (
    CounselorFactory,
    DutyPeriodFactory,
    DutySlotFactory,
    PeerCounselorFactory,
    SchoolFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
CHICAGO = ZoneInfo("America/Chicago")
TUESDAY = 1


def chicago(*args) -> datetime:
    return datetime(*args, tzinfo=CHICAGO).astimezone(UTC)


@pytest.fixture
def clock(time_machine):
    def move(moment: datetime) -> datetime:
        time_machine.move_to(moment, tick=False)
        return moment

    move(chicago(2026, 10, 5, 9, 0))  # a Monday morning
    return move


@pytest.fixture
def school():
    return SchoolFactory(name="Maple Elementary")


@pytest.fixture
def lunch(school):
    return DutyPeriodFactory(school=school, name="Lunch recess", starts=time(12, 0), ends=time(12, 40))


def on_duty(school, period, **student):
    """An orange hat of ``school`` on duty on Tuesdays in ``period``."""
    peer = PeerCounselorFactory(school=school, **student)
    DutySlotFactory(profile=peer.counselor_profile, weekday=TUESDAY, period=period)
    return peer


def ask(student, text="My friend and I keep fighting at recess.", **kwargs) -> HelpRequest:
    return services.help_request_file(requester=student, topic=Topic.CONFLICT, text=text, **kwargs)


def of(kind) -> list[tuple[int, datetime]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", "due_at"))


def test_the_peer_counselor_reminder_sources_are_registered():
    names = {f"{s.__module__}.{s.__name__}" for s in reminder_sources()}
    assert {
        "peer_counselors.escalation.reminders.duty_reminders_due",
        "peer_counselors.escalation.reminders.follow_up_reminders_due",
    } <= names


def test_an_orange_hat_with_requests_waiting_hears_once_when_their_duty_starts(clock, school, lunch):
    """Tuesday's lunch recess at 12:00, a request offered to them: one in-app reminder at 12:00 (not before,
    not again at 12:10 or 12:29), and one more the next Tuesday."""
    peer = on_duty(school, lunch)
    ask(StudentFactory(school=school))
    clock(chicago(2026, 10, 6, 11, 59))
    reminders_dispatch()
    assert of(Kind.HELP_DUTY) == []
    for minute in (0, 10, 29):
        clock(chicago(2026, 10, 6, 12, minute))
        reminders_dispatch()
    assert of(Kind.HELP_DUTY) == [(peer.pk, chicago(2026, 10, 6, 12, 0))]
    notice = Notification.objects.get(kind=Kind.HELP_DUTY)
    assert notice.title == "Your orange hat time (Lunch recess) starts now, and 1 request is waiting for you."
    assert notice.url == reverse("peer_counselors:queue")
    assert notice.email_status == Notification.EmailStatus.NOT_NEEDED  # children are not e-mailed
    clock(chicago(2026, 10, 13, 12, 1))
    reminders_dispatch()
    assert of(Kind.HELP_DUTY) == [(peer.pk, chicago(2026, 10, 6, 12, 0)), (peer.pk, chicago(2026, 10, 13, 12, 0))]


def test_a_dispatcher_back_long_after_the_duty_started_does_not_remind_of_it(clock, school, lunch):
    on_duty(school, lunch)
    ask(StudentFactory(school=school))
    clock(chicago(2026, 10, 6, 12, 30))  # 30 minutes late: stale
    reminders_dispatch()
    clock(chicago(2026, 10, 6, 15, 0))
    reminders_dispatch()
    assert of(Kind.HELP_DUTY) == []


def test_requests_they_accepted_count_until_they_meet_and_others_requests_do_not(clock, school, lunch):
    """Waiting on Ana: the one she accepted (until met) and the one still offered to her; not the one Ben accepted,
    nor a flagged one, nor another school's. Ben, with only his accepted one, hears too; Cy, with none, does not."""
    ana, ben = on_duty(school, lunch, first_name="Ana"), on_duty(school, lunch, first_name="Ben")
    on_duty(school, lunch, first_name="Cy")
    asker = StudentFactory(school=school)
    hers, his, met = ask(asker), ask(asker), ask(asker)
    services.help_request_accept(request=hers, by=ana)
    services.help_request_accept(request=his, by=ben)
    services.help_request_accept(request=met, by=ana)
    services.help_request_record_meeting(request=met, by=ana, met_on=date(2026, 10, 5), outcome=Outcome.RESOLVED)
    ask(asker, wanted=ana.counselor_profile)  # offered to her alone
    ask(asker, "Someone has a knife in his bag")  # flagged: no orange hat's
    ask(StudentFactory())  # another school
    clock(chicago(2026, 10, 6, 12, 5))
    reminders_dispatch()
    titles = dict(Notification.objects.filter(kind=Kind.HELP_DUTY).values_list("recipient_id", "title"))
    assert set(titles) == {ana.pk, ben.pk}
    assert "2 requests are waiting" in titles[ana.pk]
    assert "1 request is waiting" in titles[ben.pk]


def test_no_reminder_for_an_orange_hat_no_longer_active_or_on_another_day(clock, school, lunch):
    resting = on_duty(school, lunch)
    resting.counselor_profile.active = False
    resting.counselor_profile.save(update_fields=["active"])
    wednesday = PeerCounselorFactory(school=school)
    DutySlotFactory(profile=wednesday.counselor_profile, weekday=2, period=lunch)
    ask(StudentFactory(school=school))
    clock(chicago(2026, 10, 6, 12, 0))
    reminders_dispatch()
    assert of(Kind.HELP_DUTY) == []


def test_the_duty_starts_at_the_schools_own_wall_clock(clock, lunch):
    """Two schools' lunch at 12:00: Chicago's orange hat hears at 12:00 there, Los Angeles's two hours later."""
    west = SchoolFactory(time_zone="America/Los_Angeles")
    chicago_peer = on_duty(lunch.school, lunch)
    west_peer = on_duty(west, DutyPeriodFactory(school=west, starts=time(12, 0), ends=time(12, 40)))
    ask(StudentFactory(school=lunch.school))
    ask(StudentFactory(school=west))
    clock(chicago(2026, 10, 6, 12, 0))
    reminders_dispatch()
    assert of(Kind.HELP_DUTY) == [(chicago_peer.pk, chicago(2026, 10, 6, 12, 0))]
    clock(chicago(2026, 10, 6, 14, 0))
    reminders_dispatch()
    assert of(Kind.HELP_DUTY)[1] == (west_peer.pk, datetime(2026, 10, 6, 12, 0, tzinfo=ZoneInfo("America/Los_Angeles")))


# --- Follow-up check-ins ---------------------------------------------------------------------------------------


@pytest.fixture
def met_with_agreement(clock, school):
    """Owen and Lena met Mia and her classmate on Monday 5 October and wrote down an agreement: check in on the 19th."""
    owen = PeerCounselorFactory(school=school, first_name="Owen")
    lena = PeerCounselorFactory(school=school, first_name="Lena")
    mia = StudentFactory(school=school, first_name="Mia", last_name="Stone")
    request = ask(mia, classmate="Jo")
    services.help_request_accept(request=request, by=owen)
    services.help_request_join(request=request, by=lena)
    request = services.help_request_record_meeting(
        request=request, by=owen, met_on=date(2026, 10, 5), outcome=Outcome.RESOLVED, both_agreed=True,
        agreement="We sit apart at lunch for a week and then talk again.",
    )  # fmt: skip
    assert request.follow_up_on == date(2026, 10, 19)
    return request, owen, lena


def test_both_orange_hats_are_reminded_once_to_check_in_on_the_day(clock, met_with_agreement):
    request, owen, lena = met_with_agreement
    clock(chicago(2026, 10, 18, 23, 59))
    reminders_dispatch()
    assert of(Kind.HELP_FOLLOW_UP) == []
    for moment in (chicago(2026, 10, 19, 0, 1), chicago(2026, 10, 19, 12, 0), chicago(2026, 10, 20, 9, 0)):
        clock(moment)
        reminders_dispatch()
    day = chicago(2026, 10, 19, 0, 0)
    assert of(Kind.HELP_FOLLOW_UP) == sorted([(owen.pk, day), (lena.pk, day)])
    notice = Notification.objects.filter(kind=Kind.HELP_FOLLOW_UP).first()
    assert notice.title == "Check in with Mia Stone: two weeks ago you helped them. Ask how the agreement is going."
    assert notice.url == reverse("peer_counselors:request", args=[request.pk])
    assert notice.email_status == Notification.EmailStatus.NOT_NEEDED


def test_a_missed_check_in_day_is_still_reminded_a_few_days_later_but_not_a_week_later(clock, met_with_agreement):
    clock(chicago(2026, 10, 22, 10, 0))
    reminders_dispatch()
    assert len(of(Kind.HELP_FOLLOW_UP)) == 2
    Notification.objects.filter(kind=Kind.HELP_FOLLOW_UP).delete()
    clock(chicago(2026, 10, 23, 10, 0))  # four days late
    reminders_dispatch()
    assert of(Kind.HELP_FOLLOW_UP) == []


def test_without_an_agreement_the_check_in_asks_how_things_are_going(clock, school):
    peer = PeerCounselorFactory(school=school)
    request = ask(StudentFactory(school=school, first_name="Ana", last_name="Ruiz"))
    services.help_request_accept(request=request, by=peer)
    services.help_request_record_meeting(request=request, by=peer, met_on=date(2026, 10, 5), outcome=Outcome.FOLLOW_UP)
    clock(chicago(2026, 10, 19, 8, 0))
    reminders_dispatch()
    assert list(Notification.objects.filter(kind=Kind.HELP_FOLLOW_UP).values_list("recipient_id", "title")) == [
        (peer.pk, "Check in with Ana Ruiz: two weeks ago you helped them. Ask how things are going.")
    ]


def test_no_check_in_once_an_adult_has_the_request_or_the_orange_hat_stepped_down(clock, met_with_agreement):
    request, owen, lena = met_with_agreement
    lena.counselor_profile.active = False
    lena.counselor_profile.save(update_fields=["active"])
    clock(chicago(2026, 10, 19, 9, 0))
    reminders_dispatch()
    assert [pk for pk, _ in of(Kind.HELP_FOLLOW_UP)] == [owen.pk]
    Notification.objects.filter(kind=Kind.HELP_FOLLOW_UP).delete()
    services.help_request_flag(request=request, by=CounselorFactory(school=request.school), reason="She said more")
    reminders_dispatch()
    assert of(Kind.HELP_FOLLOW_UP) == []


@pytest.mark.parametrize("size", [2, 8])
def test_the_orange_hats_reminders_cost_a_fixed_number_of_queries(clock, size, django_assert_max_num_queries):
    """Duty in several schools and follow-ups of several requests: the same queries for 2 as for 8."""
    for _ in range(size):
        school = SchoolFactory()
        period = DutyPeriodFactory(school=school, starts=time(12, 0), ends=time(12, 40))
        peer = on_duty(school, period)
        partner = PeerCounselorFactory(school=school)
        request = ask(StudentFactory(school=school))
        services.help_request_accept(request=request, by=peer)
        services.help_request_join(request=request, by=partner)
        services.help_request_record_meeting(request=request, by=peer, met_on=date(2026, 9, 29), outcome=Outcome.FOLLOW_UP)
        services.help_request_accept(request=ask(StudentFactory(school=school)), by=peer)
    clock(chicago(2026, 10, 13, 12, 0))
    with django_assert_max_num_queries(4):  # the slots, what waits on their peers (2), the follow-ups
        drafts = duty_reminders_due(timezone.now()) + follow_up_reminders_due(timezone.now())
    assert sorted(draft.kind for draft in drafts) == sorted([Kind.HELP_DUTY] * size + [Kind.HELP_FOLLOW_UP] * 2 * size)
