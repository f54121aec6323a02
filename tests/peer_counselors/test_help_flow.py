"""A help request's whole life through the pages: asked, screened and routed, accepted, met, handed on,
withdrawn; the supervisors' hand; and what every page shows of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from peer_counselors import services
from peer_counselors.escalation.services import help_requests_escalate_flagged
from peer_counselors.models import HelpRequest, HelpRequestEvent, Topic
from tests.factories import CounselorFactory, DutyPeriodFactory, PeerCounselorFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db
Status = HelpRequest.Status
Kind = HelpRequestEvent.Kind
FLAGGING = "I want to kill myself"


@pytest.fixture
def school_people():
    asker = StudentFactory(first_name="Mia", last_name="Stone", grade=3)
    school = asker.school
    return {
        "asker": asker,
        "peer": PeerCounselorFactory(school=school, first_name="Owen", last_name="Hart"),
        "peer2": PeerCounselorFactory(school=school, first_name="Lena", last_name="Cruz"),
        "counselor": CounselorFactory(school=school, first_name="Dana", last_name="Reyes"),
        "teacher": TeacherFactory(school=school),
        "bystander": StudentFactory(school=school),
    }


def ask(client, user, **data):
    client.force_login(user)
    form = {"topic": Topic.CONFLICT, "text": "My friend and I keep fighting at recess.", "wanted": "", "meet_period": ""}
    return client.post(reverse("peer_counselors:ask"), form | data)


def events(help_request) -> list[str]:
    return list(help_request.events.order_by("pk").values_list("kind", flat=True))


def test_a_student_reads_what_happens_to_a_request_before_writing(client, school_people):
    """The ask page says: private with peers, an adult sees danger, the screen can miss things, tell an adult now."""
    client.force_login(school_people["asker"])
    page = client.get(reverse("peer_counselors:ask")).content.decode()
    assert "keep what you tell them private" in page
    assert "an adult at school will read it" in page
    assert "it can miss things" in page
    assert "call 911" in page
    assert page.index("What happens when you ask") < page.index('name="text"')


def test_an_ordinary_request_is_offered_to_the_schools_peer_counselors_and_not_to_an_adult(client, school_people):
    """Screened clean: offered to every active orange hat of the school, each told in the app; no counselor alert."""
    response = ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("peer_counselors:request", args=[help_request.pk]) + "?new=1"
    assert help_request.status == Status.OFFERED and not help_request.flagged
    assert set(help_request.offered_to.values_list("student", flat=True)) == {school_people["peer"].pk, school_people["peer2"].pk}
    assert events(help_request) == [Kind.FILED, Kind.OFFERED]
    told = set(Notification.objects.filter(kind=Notification.Kind.HELP_OFFERED).values_list("recipient", flat=True))
    assert told == {school_people["peer"].pk, school_people["peer2"].pk}
    assert not Notification.objects.filter(kind=Notification.Kind.HELP_FLAGGED).exists()


def test_asking_for_a_named_orange_hat_offers_it_to_them_alone(client, school_people):
    peer = school_people["peer2"]
    ask(client, school_people["asker"], wanted=str(peer.counselor_profile.pk))
    assert list(HelpRequest.objects.get().offered_to.values_list("student", flat=True)) == [peer.pk]


def test_a_flagged_request_goes_to_the_counselor_at_once_and_the_student_reads_who_to_reach(
    client, school_people, django_capture_on_commit_callbacks
):
    """In the same request: the counselor's alert (in the app, e-mail pending), no peer offered, and the student
    sees a calm message naming the counselor and the crisis lines of the category."""
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, school_people["asker"], text=FLAGGING)
    help_request = HelpRequest.objects.get()
    assert help_request.flagged and help_request.status == Status.WITH_ADULT
    assert help_request.flag_categories == ["self_harm"]
    assert help_request.offered_to.count() == 0
    alert = Notification.objects.get(kind=Notification.Kind.HELP_FLAGGED)
    assert alert.recipient == school_people["counselor"] and alert.email_status == Notification.EmailStatus.PENDING
    assert not Notification.objects.filter(kind=Notification.Kind.HELP_OFFERED).exists()
    page = client.get(response.url).content.decode()
    assert "Dana Reyes" in page
    assert "988" in page and "AYUDA" in page and "741741" in page
    assert "1-800-422-4453" not in page  # Childhelp is for abuse, not named for self-harm
    assert "flag" not in page.lower().replace("help-flag", "")


def test_a_student_who_chooses_an_adult_is_routed_to_the_counselor_whatever_the_screen_reads(
    client, school_people, django_capture_on_commit_callbacks
):
    """Words the screen reads as ordinary, with "an adult, not a student" ticked: the counselor's alert and e-mail,
    no orange hat offered or able to open it, the student's choice in the log and on the adult's page, and the
    student reads that they chose an adult, with 911, Childhelp and 988."""
    client.force_login(school_people["asker"])
    page = client.get(reverse("peer_counselors:ask")).content.decode()
    assert 'name="asked_adult"' in page and "I want an adult to read this, not a student" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, school_people["asker"], text="something happened and I need to talk", asked_adult="on")
    help_request = HelpRequest.objects.get()
    assert help_request.asked_adult and help_request.flagged and help_request.status == Status.WITH_ADULT
    assert help_request.flag_categories == [] and help_request.flagged_at is not None
    assert events(help_request) == [Kind.FILED, Kind.ASKED_ADULT]
    assert help_request.events.get(kind=Kind.ASKED_ADULT).actor == school_people["asker"]
    assert help_request.offered_to.count() == 0
    alert = Notification.objects.get(kind=Notification.Kind.HELP_FLAGGED)
    assert alert.recipient == school_people["counselor"] and "chose an adult" in alert.body
    assert not Notification.objects.filter(kind=Notification.Kind.HELP_OFFERED).exists()
    page = client.get(response.url).content.decode()
    assert "You asked for an adult to read this" in page and "Dana Reyes" in page
    assert all(line in page for line in ("911", "1-800-422-4453", "988"))
    client.force_login(school_people["peer"])
    assert client.get(response.url).status_code == 404
    client.force_login(school_people["counselor"])
    assert "The student asked for an adult to read it" in client.get(response.url).content.decode()


def test_a_student_who_does_not_tick_the_box_gets_an_orange_hat(client, school_people):
    ask(client, school_people["asker"], asked_adult="")
    help_request = HelpRequest.objects.get()
    assert not help_request.asked_adult and help_request.status == Status.OFFERED
    assert Kind.ASKED_ADULT not in events(help_request)


def test_an_abuse_request_names_childhelp(client, school_people):
    response = ask(client, school_people["asker"], text="my dad hits me when he is angry")
    page = client.get(response.url).content.decode()
    assert "1-800-422-4453" in page and "911" in page


def test_outside_school_hours_the_student_reads_that_the_school_may_not_see_it_and_the_lines_come_first(
    client, school_people, time_machine
):
    """Saturday: the school is closed, so the message says when it may be seen and gives the lines first."""
    time_machine.move_to(timezone.datetime(2026, 12, 5, 15, 0, tzinfo=school_people["asker"].school.zone))
    response = ask(client, school_people["asker"], text=FLAGGING)
    page = client.get(response.url).content.decode()
    assert "School is closed now" in page
    assert "Monday 7 December" in page
    assert page.index("School is closed now") < page.index("988 Suicide")


def test_a_screen_that_raises_routes_the_request_to_an_adult_and_shows_the_student_no_error(
    client, school_people, monkeypatch
):
    """Fail closed: the screen's error never reaches the student, and no peer is offered the request."""

    def broken(text):
        raise RuntimeError("word list missing")

    monkeypatch.setattr("peer_counselors.screening.screen", broken)
    response = ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert help_request.screen_failed and help_request.status == Status.WITH_ADULT
    assert help_request.offered_to.count() == 0
    assert Notification.objects.filter(kind=Notification.Kind.HELP_FLAGGED, recipient=school_people["counselor"]).exists()
    page = client.get(response.url).content.decode()
    assert "Thank you for telling us" in page and "error" not in page.lower()
    client.force_login(school_people["peer"])
    assert client.get(response.url.split("?")[0]).status_code == 404


def test_a_screen_returning_nonsense_counts_as_failed(client, school_people, monkeypatch):
    monkeypatch.setattr("peer_counselors.screening.screen", lambda text: None)
    ask(client, school_people["asker"])
    assert HelpRequest.objects.get().screen_failed


def test_the_whole_flow_accept_propose_meet(client, school_people):
    """Accepted by one, joined by a partner, a time proposed, the meeting recorded: each step in the log."""
    ask(client, school_people["asker"], classmate="Sam")
    help_request = HelpRequest.objects.get()
    url = reverse("peer_counselors:request", args=[help_request.pk])
    client.force_login(school_people["peer"])
    client.post(reverse("peer_counselors:accept", args=[help_request.pk]))
    client.force_login(school_people["peer2"])
    assert "Join as a partner" in client.get(url).content.decode()
    client.post(reverse("peer_counselors:join", args=[help_request.pk]))
    when = (timezone.now() + timedelta(days=1)).astimezone(help_request.school.zone).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("peer_counselors:propose", args=[help_request.pk]), {"when": when, "place": "Library"})
    response = client.post(
        reverse("peer_counselors:meeting", args=[help_request.pk]),
        {"met_on": timezone.localdate().isoformat(), "outcome": "resolved", "both_agreed": "yes",
         "agreement": "We take turns choosing the game.", "note": ""},
    )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == Status.MET and help_request.both_agreed is True
    assert help_request.assigned_to.student == school_people["peer"] and help_request.partner.student == school_people["peer2"]
    assert help_request.follow_up_on == timezone.localdate() + timedelta(days=14)
    assert [k for k in events(help_request) if k != Kind.VIEWED] == [
        Kind.FILED, Kind.OFFERED, Kind.ACCEPTED, Kind.PARTNER_JOINED, Kind.TIME_PROPOSED, Kind.MET
    ]
    client.force_login(school_people["asker"])
    page = client.get(url).content.decode()
    assert "Library" in page and "Owen Hart" in page
    assert "We take turns" not in page  # the meeting's form is the orange hats' and the counselors'


def test_a_meeting_with_a_classmate_needs_both_agreed_and_keeps_what_was_typed(client, school_people):
    ask(client, school_people["asker"], classmate="Sam")
    help_request = HelpRequest.objects.get()
    client.force_login(school_people["peer"])
    client.post(reverse("peer_counselors:accept", args=[help_request.pk]))
    response = client.post(
        reverse("peer_counselors:meeting", args=[help_request.pk]),
        {"met_on": timezone.localdate().isoformat(), "outcome": "follow_up", "agreement": "Share the ball"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say whether both students agreed to talk." in page and "Share the ball" in page


def test_a_second_peer_accepting_sees_a_clear_message(client, school_people):
    ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    client.force_login(school_people["peer"])
    client.post(reverse("peer_counselors:accept", args=[help_request.pk]))
    client.force_login(school_people["peer2"])
    response = client.post(reverse("peer_counselors:accept", args=[help_request.pk]), follow=True)
    assert "Another orange hat accepted this request just before you" in response.content.decode()
    assert HelpRequest.objects.get().assigned_to.student == school_people["peer"]


def test_a_peer_hands_a_request_to_an_adult_with_one_click_and_loses_it(client, school_people):
    ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    client.force_login(school_people["peer"])
    client.post(reverse("peer_counselors:accept", args=[help_request.pk]))
    client.post(reverse("peer_counselors:hand", args=[help_request.pk]))
    help_request.refresh_from_db()
    assert help_request.status == Status.WITH_ADULT
    assert Notification.objects.filter(kind=Notification.Kind.HELP_HANDED, recipient=school_people["counselor"]).exists()
    assert client.get(reverse("peer_counselors:request", args=[help_request.pk])).status_code == 404
    assert help_request.pk not in [r.pk for r in client.get(reverse("peer_counselors:queue")).context["waiting"]]


def test_withdrawing_twice_says_so_and_a_withdrawn_request_cannot_be_accepted(client, school_people):
    ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    withdraw = reverse("peer_counselors:withdraw", args=[help_request.pk])
    client.post(withdraw)
    second = client.post(withdraw, follow=True).content.decode()
    assert "You already withdrew this request." in second
    assert events(help_request).count(Kind.WITHDRAWN) == 1
    client.force_login(school_people["peer"])
    assert client.post(reverse("peer_counselors:accept", args=[help_request.pk])).status_code == 404
    with pytest.raises(services.HelpRefused, match="withdrawn"):
        services.help_request_accept(request=help_request, by=school_people["peer"])


def test_bad_input_keeps_what_the_student_typed(client, school_people):
    """Empty words, too many words and no topic: a clear message beside the field, and nothing lost."""
    empty = ask(client, school_people["asker"], text="   ").content.decode()
    assert "Write a few words about what happened." in empty
    long_text = "We argue. " * 300
    page = ask(client, school_people["asker"], text=long_text).content.decode()
    assert "please keep it under 2000 characters (you wrote 2999)" in page
    assert long_text.strip()[:500] in page
    no_topic = ask(client, school_people["asker"], topic="", text="Someone took my seat").content.decode()
    assert "Choose what it is about." in no_topic and "Someone took my seat" in no_topic
    assert HelpRequest.objects.count() == 0


def test_html_in_a_request_is_shown_as_text_everywhere(client, school_people):
    script = "<script>alert('x')</script><b>hi</b>"
    ask(client, school_people["asker"], text=script)
    help_request = HelpRequest.objects.get()
    for user in (school_people["asker"], school_people["peer"], school_people["counselor"]):
        client.force_login(user)
        for url in (reverse("peer_counselors:request", args=[help_request.pk]),):
            page = client.get(url).content.decode()
            assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_every_look_by_someone_else_is_logged_and_the_counselors_first_look_is_kept(client, school_people):
    ask(client, school_people["asker"], text=FLAGGING)
    help_request = HelpRequest.objects.get()
    url = reverse("peer_counselors:request", args=[help_request.pk])
    client.get(url)  # the student who asked: not logged
    client.force_login(school_people["counselor"])
    client.get(url)
    client.get(url)
    viewed = help_request.events.filter(kind=Kind.VIEWED)
    assert list(viewed.values_list("actor", flat=True)) == [school_people["counselor"].pk] * 2
    help_request.refresh_from_db()
    assert help_request.adult_opened_at is not None
    page = client.get(url).content.decode()
    assert "Log: every change and every look" in page and "Opened" in page


def test_the_counselor_sees_the_whole_queue_flagged_first_and_the_alert_in_the_navigation(client, school_people):
    ask(client, school_people["asker"])
    ask(client, school_people["bystander"], text=FLAGGING)
    client.force_login(school_people["counselor"])
    page = client.get(reverse("peer_counselors:supervise")).content.decode()
    assert page.count("help-card__link") == 2
    assert page.index("Safety") < page.index("A conflict with a friend")
    assert "1 safety request" in page
    flagged = HelpRequest.objects.get(flagged=True)
    client.get(reverse("peer_counselors:request", args=[flagged.pk]))
    assert "safety request" not in client.get(reverse("dashboard")).content.decode()


def test_supervisors_flag_unflag_reassign_and_close_with_a_reason(client, school_people):
    ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    client.force_login(school_people["counselor"])
    no_reason = client.post(reverse("peer_counselors:flag", args=[help_request.pk]), {"reason": ""}, follow=True)
    assert "Give a reason" in no_reason.content.decode()
    client.post(reverse("peer_counselors:flag", args=[help_request.pk]), {"reason": "Mentions a fight after school"})
    help_request.refresh_from_db()
    assert help_request.flagged and help_request.status == Status.WITH_ADULT
    client.force_login(school_people["peer"])
    assert client.get(reverse("peer_counselors:request", args=[help_request.pk])).status_code == 404
    client.force_login(school_people["counselor"])
    client.post(reverse("peer_counselors:unflag", args=[help_request.pk]), {"reason": "Talked to her: a game dispute"})
    peer2 = school_people["peer2"].counselor_profile
    client.post(reverse("peer_counselors:reassign", args=[help_request.pk]), {"to": peer2.pk, "reason": "Same class"})
    help_request.refresh_from_db()
    assert help_request.status == Status.ACCEPTED and help_request.assigned_to == peer2
    client.post(reverse("peer_counselors:close", args=[help_request.pk]), {"reason": "Resolved in class"})
    help_request.refresh_from_db()
    assert help_request.status == Status.CLOSED
    reasons = list(help_request.events.exclude(reason="").values_list("kind", "reason"))
    assert (Kind.FLAGGED, "Mentions a fight after school") in reasons
    assert (Kind.UNFLAGGED, "Talked to her: a game dispute") in reasons
    assert (Kind.CLOSED, "Resolved in class") in reasons


def test_messages_go_between_the_student_and_their_orange_hat(client, school_people):
    ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    url = reverse("peer_counselors:request", args=[help_request.pk])
    client.force_login(school_people["peer"])
    client.post(reverse("peer_counselors:accept", args=[help_request.pk]))
    client.post(reverse("peer_counselors:message", args=[help_request.pk]), {"body": "Can we meet at lunch?"})
    client.force_login(school_people["asker"])
    assert "Can we meet at lunch?" in client.get(url).content.decode()
    assert Notification.objects.filter(kind=Notification.Kind.HELP_UPDATE, recipient=school_people["asker"]).exists()
    empty = client.post(reverse("peer_counselors:message", args=[help_request.pk]), {"body": " "}, follow=True)
    assert "Write a message first." in empty.content.decode()


def test_a_student_picks_when_they_can_meet_from_the_schools_periods(client, school_people):
    period = DutyPeriodFactory(school=school_people["asker"].school, name="Lunch recess")
    client.force_login(school_people["asker"])
    assert "Lunch recess" in client.get(reverse("peer_counselors:ask")).content.decode()
    ask(client, school_people["asker"], meet_period=str(period.pk))
    assert HelpRequest.objects.get().meet_period == period


def test_home_pages_lead_to_the_orange_hats(client, school_people):
    """A student's home leads to asking; an orange hat's says how many wait for them; a counselor's shows the alert."""
    ask(client, school_people["asker"])
    ask(client, school_people["bystander"], text=FLAGGING)
    client.force_login(school_people["asker"])
    home = client.get(reverse("dashboard")).content.decode()
    assert "My request (1 open)" in home and reverse("peer_counselors:mine") in home
    client.force_login(school_people["peer"])
    assert "Orange hat: 1 request for you" in client.get(reverse("dashboard")).content.decode()
    client.force_login(school_people["counselor"])
    home = client.get(reverse("dashboard")).content.decode()
    assert "1 flagged request is waiting for an adult." in home and "2 open requests at your school." in home


def test_the_log_says_in_words_whom_each_escalation_step_reached(client, school_people, time_machine):
    ask(client, school_people["asker"], text=FLAGGING)
    help_request = HelpRequest.objects.get()
    help_requests_escalate_flagged(now=help_request.flagged_at + timedelta(minutes=31))
    client.force_login(school_people["counselor"])
    page = client.get(reverse("peer_counselors:request", args=[help_request.pk])).content.decode()
    assert "1 counselor." in page and "0 school admins." in page and "counselors:1" not in page


def test_a_guessed_id_looks_exactly_like_a_missing_one(client, school_people):
    """Someone else's request and a request that does not exist answer the same 404 page, on every door."""
    ask(client, school_people["asker"])
    theirs = HelpRequest.objects.get().pk
    client.force_login(school_people["bystander"])
    for name, method in (("request", "get"), ("message", "post"), ("withdraw", "post"), ("accept", "post"), ("meeting", "get")):
        real = getattr(client, method)(reverse(f"peer_counselors:{name}", args=[theirs]))
        missing = getattr(client, method)(reverse(f"peer_counselors:{name}", args=[theirs + 1000]))
        assert real.status_code == missing.status_code == 404
        assert "keep fighting" not in real.content.decode() and real.templates[0].name == missing.templates[0].name
    assert not HelpRequestEvent.objects.filter(actor=school_people["bystander"]).exists()


def test_a_students_later_message_is_screened_too_and_takes_the_request_from_the_orange_hats(client, school_people):
    """The serious part often comes later: a message that flags sends the request to the counselor, as asking did."""
    ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    url = reverse("peer_counselors:request", args=[help_request.pk])
    client.force_login(school_people["peer"])
    client.post(reverse("peer_counselors:accept", args=[help_request.pk]))
    client.force_login(school_people["asker"])
    client.post(reverse("peer_counselors:message", args=[help_request.pk]), {"body": "also sometimes i want to kill myself"})
    help_request.refresh_from_db()
    assert help_request.flagged and help_request.status == Status.WITH_ADULT
    assert Notification.objects.filter(kind=Notification.Kind.HELP_FLAGGED, recipient=school_people["counselor"]).exists()
    assert "Thank you for telling us" in client.get(url).content.decode()
    client.force_login(school_people["peer"])
    assert client.get(url).status_code == 404


def test_an_orange_hats_message_that_flags_hands_the_request_on_as_well(client, school_people):
    ask(client, school_people["asker"])
    help_request = HelpRequest.objects.get()
    client.force_login(school_people["peer"])
    client.post(reverse("peer_counselors:accept", args=[help_request.pk]))
    client.post(reverse("peer_counselors:message", args=[help_request.pk]), {"body": "he told me he wants to kill himself"})
    help_request.refresh_from_db()
    assert help_request.flagged and "self_harm" in help_request.flag_categories


def test_a_nul_never_reaches_the_database(client, school_people):
    """No keyboard types a NUL: a form carrying one is refused whole (accounts.middleware), and a service called
    otherwise drops it (PostgreSQL would raise)."""
    assert ask(client, school_people["asker"], text="We argue\x00 a lot").status_code == 400
    assert HelpRequest.objects.count() == 0
    request = services.help_request_file(requester=school_people["asker"], topic="other", text="We argue\x00 a lot")
    assert request.text == "We argue a lot"


def test_a_school_without_orange_hats_sends_the_request_to_the_counselor_at_once_and_says_so(client):
    asker = StudentFactory()
    counselor = CounselorFactory(school=asker.school)
    response = ask(client, asker)
    assert Notification.objects.filter(kind=Notification.Kind.HELP_UNCLAIMED, recipient=counselor).exists()
    page = client.get(response.url).content.decode()
    assert "the school&#x27;s counselor will see it" in page or "the school's counselor will see it" in page
