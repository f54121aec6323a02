"""A school admin's export of one student's help requests, and their anonymisation on request: what the file
holds, the audit rows and log lines each writes, who may (the school's admin, for a student of the school),
the confirmation, and that the numbers page reads the same before and after."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from notifications.models import Notification
from peer_counselors import services as help_services
from peer_counselors.aggregates.services import REMOVED
from peer_counselors.models import HelpMessage, HelpRequest, HelpRequestEvent, Outcome, Topic
from tests.factories import (
    CounselorFactory,
    DistrictAdminFactory,
    PeerCounselorFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import definitions, parse, table
from tests.peer_counselors.test_aggregates import endings_table, pickup, week_table

pytestmark = pytest.mark.django_db
Kind = HelpRequestEvent.Kind


def export_url(student) -> str:
    return reverse("peer_counselors:student_export", args=[student.pk])


def anonymise_url(student) -> str:
    return reverse("peer_counselors:student_anonymise", args=[student.pk])


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    """A school where Maya asked twice: once about a friend (an orange hat met her, wrote an agreement and a note,
    they wrote to each other), once in words the screen flagged (a counselor opened it, closed it with a reason).
    Another student asked once."""
    school = SchoolFactory()
    maya = StudentFactory(school=school, username="maya.r", first_name="Maya", last_name="Reyes", grade=4)
    peer = PeerCounselorFactory(school=school, first_name="Omar", last_name="Haddad")
    counselor = CounselorFactory(school=school, first_name="Dana", last_name="Kim")
    with django_capture_on_commit_callbacks(execute=True):
        friend = help_services.help_request_file(
            requester=maya, topic=Topic.CONFLICT, text="Lena and I keep fighting at recess.", classmate="Lena P.",
        )
        help_services.help_request_accept(request=friend, by=peer)
        help_services.help_message_post(request=friend, by=peer, body="Hi Maya, can we meet at lunch?")
        help_services.help_message_post(request=friend, by=maya, body="Yes, by the library.")
        help_services.help_request_record_meeting(
            request=friend, by=peer, met_on=timezone.localdate(), outcome=Outcome.RESOLVED, both_agreed=True,
            agreement="Maya and Lena take turns choosing the game.", note="Maya was upset about the game.",
        )
        flagged = help_services.help_request_file(requester=maya, topic=Topic.OTHER, text="Sometimes I want to kill myself")
        help_services.help_request_view_record(request=flagged, by=counselor)
        help_services.help_request_close(request=flagged, by=counselor, reason="Talked with Maya and her mother.")
    other = help_services.help_request_file(requester=StudentFactory(school=school), topic=Topic.TEASED, text="They laugh at me.")
    return {"school": school, "maya": maya, "peer": peer, "counselor": counselor, "friend": friend,
            "flagged": flagged, "other": other, "admin": SchoolAdminFactory(school=school)}


# --- Finding the student, and what the export holds ------------------------------------------------------------


def test_the_admin_finds_a_student_by_name_and_sees_how_many_requests_not_what(client, story):
    client.force_login(story["admin"])
    html = client.get(reverse("peer_counselors:student_search"), {"q": "reyes"}).content.decode()
    rows, _foot = table(html, caption="Students matching")
    assert [(r["Student"], r["Username"], r["Help requests"]) for r in rows] == [("Maya Reyes", "maya.r", "2")]
    assert "fighting" not in html
    page = client.get(export_url(story["maya"])).content.decode()
    assert definitions(page) == {"Help requests": "2", "Messages": "2", "Lines in their logs": str(
        HelpRequestEvent.objects.filter(request__requester=story["maya"]).count())}
    for words in ("fighting", "kill myself", "Lena", "by the library", "take turns"):
        assert words not in page


def test_a_student_of_another_school_is_not_found_and_is_404(client, story):
    stranger = StudentFactory(first_name="Maya", last_name="Reyes")  # another school's
    client.force_login(story["admin"])
    html = client.get(reverse("peer_counselors:student_search"), {"q": "Maya"}).content.decode()
    assert len(table(html, caption="Students matching")[0]) == 1
    for url in (export_url(stranger), anonymise_url(stranger), export_url(story["counselor"])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "on", "username": stranger.username}).status_code == 404
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "counselor", "student", "peer", "district_admin", "other_admin"])
def test_nobody_but_the_students_school_admin_may_export_or_anonymise(client, story, persona):
    school = story["school"]
    user = {
        "teacher": lambda: TeacherFactory(school=school), "counselor": lambda: story["counselor"],
        "student": lambda: story["maya"], "peer": lambda: story["peer"],
        "district_admin": lambda: DistrictAdminFactory(district=school.district),
        "other_admin": lambda: SchoolAdminFactory(),
    }[persona]()
    client.force_login(user)
    search = client.get(reverse("peer_counselors:student_search"), {"q": "Maya"})
    if persona == "other_admin":  # their own school's search, where Maya is not
        assert search.status_code == 200 and "No student of the school matches" in search.content.decode()
    else:
        assert search.status_code == 404
    for url in (export_url(story["maya"]), anonymise_url(story["maya"])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "on", "username": "maya.r"}).status_code == 404
    assert not AuditEvent.objects.exists()
    assert HelpRequest.objects.get(pk=story["friend"].pk).requester_id == story["maya"].pk


def test_the_export_holds_every_request_message_and_log_line_and_is_recorded(client, story):
    admin, maya = story["admin"], story["maya"]
    client.force_login(admin)
    response = client.post(export_url(maya))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="help-requests-mayar-')
    data = json.loads(response.content)

    assert data["student"] == {"username": "maya.r", "name": "Maya Reyes", "grade": 4}
    friend, flagged = data["requests"]
    assert friend["text"] == "Lena and I keep fighting at recess."
    assert (friend["classmate"], friend["topic"], friend["status"], friend["outcome"]) == ("Lena P.", "conflict", "met", "resolved")
    assert friend["agreement"] == "Maya and Lena take turns choosing the game."
    assert friend["meeting_note"] == "Maya was upset about the game."
    assert friend["assigned_to"] == "Omar Haddad" and friend["offered_to"] == ["Omar Haddad"]
    assert friend["accepted_at"] and friend["both_agreed"] is True
    assert [(m["author"], m["body"]) for m in friend["messages"]] == [
        ({"name": "Omar Haddad", "role": "student"}, "Hi Maya, can we meet at lunch?"),
        ({"name": "Maya Reyes", "role": "student"}, "Yes, by the library."),
    ]
    assert [e["kind"] for e in friend["events"]] == [
        "filed", "offered", "accepted", "message", "message", "met", "exported",
    ]
    assert friend["events"][-1]["actor"] == {"name": admin.display_name, "role": "school_admin"}
    assert flagged["flagged"] is True and flagged["flag_categories"] == ["self_harm"]
    assert flagged["text"] == "Sometimes I want to kill myself"
    closed = next(e for e in flagged["events"] if e["kind"] == "closed")
    assert closed["actor"] == {"name": "Dana Kim", "role": "counselor"} and closed["reason"] == "Talked with Maya and her mother."
    assert {"viewed", "flagged"} <= {e["kind"] for e in flagged["events"]}
    assert len(friend) == len(flagged) and {"flagged_at", "adult_opened_at", "proposed_for", "follow_up_on",
                                             "anonymised_at", "requester_grade", "wanted", "meet_period"} <= set(friend)

    audit = AuditEvent.objects.get()
    assert (audit.kind, audit.actor, audit.subject, audit.school, audit.count) == (
        AuditEvent.Kind.HELP_STUDENT_EXPORT, admin, maya, story["school"], 2)
    assert HelpRequestEvent.objects.filter(kind=Kind.EXPORTED, actor=admin).count() == 2
    assert not HelpRequestEvent.objects.filter(kind=Kind.EXPORTED, request=story["other"]).exists()


# --- Anonymising -------------------------------------------------------------------------------------------------


def numbers_page(client, user) -> tuple:
    client.force_login(user)
    today = timezone.localdate()
    html = client.get(reverse("peer_counselors:numbers"), {
        "start": (today - timedelta(days=7)).isoformat(), "end": (today + timedelta(days=1)).isoformat()}
    ).content.decode()
    return week_table(html), endings_table(html), pickup(html)


@pytest.mark.parametrize("data", [
    {"username": "maya.r"},  # the box not ticked
    {"confirm": "on", "username": "maya"},  # not her username
    {"confirm": "on", "username": ""},
])
def test_a_wrong_confirmation_keeps_the_form_and_changes_nothing(client, story, data):
    client.force_login(story["admin"])
    response = client.post(anonymise_url(story["maya"]), data)
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert page.find("input", name="username").attrs.get("value") == data["username"] or not data["username"]
    assert "is-invalid" in response.content.decode()
    assert HelpRequest.objects.filter(requester=story["maya"]).count() == 2
    assert not AuditEvent.objects.exists()


def test_anonymising_removes_what_names_the_student_and_keeps_the_numbers(client, story, settings):
    settings.SUPPRESSION_MIN_N = 1  # every figure shown, so every figure is compared
    admin, maya, friend, flagged = story["admin"], story["maya"], story["friend"], story["flagged"]
    events_before = list(HelpRequestEvent.objects.filter(request__in=[friend, flagged]).values_list("kind", "created_at"))
    before = numbers_page(client, story["counselor"])
    assert before[0][("Total", "All topics")] == "3"

    client.force_login(admin)
    response = client.post(anonymise_url(maya), {"confirm": "on", "username": " Maya.R "})
    assert response.status_code == 302 and response["Location"] == export_url(maya)

    assert numbers_page(client, story["counselor"]) == before
    for request in HelpRequest.objects.filter(pk__in=[friend.pk, flagged.pk]):
        assert request.requester_id is None and request.requester_grade == 4
        assert request.text == REMOVED
        assert (request.classmate, request.agreement, request.meeting_note, request.wanted_id) == ("", "", "", None)
        assert request.anonymised_at is not None
        assert (request.topic, request.status, request.created_at) == {
            friend.pk: (Topic.CONFLICT, "met", friend.created_at), flagged.pk: (Topic.OTHER, "closed", flagged.created_at),
        }[request.pk]
    assert set(HelpMessage.objects.filter(request=friend).values_list("body", flat=True)) == {REMOVED}
    assert not HelpMessage.objects.filter(author=maya).exists()
    assert HelpMessage.objects.filter(request=friend, author=story["peer"]).exists()
    after = HelpRequestEvent.objects.filter(request__in=[friend, flagged])
    assert [e for e in after.values_list("kind", "created_at") if e[0] != Kind.ANONYMISED] == events_before
    assert not after.filter(actor=maya).exists()
    assert after.get(kind=Kind.CLOSED).reason == REMOVED
    assert after.get(kind=Kind.FLAGGED).reason == "self_harm"  # the screen's, naming no one
    assert after.filter(kind=Kind.ANONYMISED, actor=admin).count() == 2
    alerts = Notification.objects.filter(kind=Notification.Kind.HELP_FLAGGED)
    assert alerts.exists() and set(alerts.values_list("body", flat=True)) == {REMOVED}
    audit = AuditEvent.objects.get(kind=AuditEvent.Kind.HELP_STUDENT_ANONYMISED)
    assert (audit.actor, audit.subject, audit.school, audit.count) == (admin, maya, story["school"], 2)
    other = HelpRequest.objects.get(pk=story["other"].pk)
    assert other.requester_id and other.text == "They laugh at me."
    # The student no longer finds them; the export has nothing left of them.
    client.force_login(maya)
    assert client.get(reverse("peer_counselors:request", args=[friend.pk])).status_code == 404
    client.force_login(admin)
    assert json.loads(client.post(export_url(maya)).content)["requests"] == []


def test_anonymising_twice_is_harmless(client, story):
    client.force_login(story["admin"])
    confirm = {"confirm": "on", "username": "maya.r"}
    assert client.post(anonymise_url(story["maya"]), confirm).status_code == 302
    snapshot = list(HelpRequest.objects.order_by("pk").values())
    messages = list(HelpMessage.objects.order_by("pk").values())
    response = client.post(anonymise_url(story["maya"]), confirm, follow=True)
    assert response.status_code == 200
    assert "0 help requests of Maya Reyes were anonymised." in response.content.decode()
    assert list(HelpRequest.objects.order_by("pk").values()) == snapshot
    assert list(HelpMessage.objects.order_by("pk").values()) == messages
    assert HelpRequestEvent.objects.filter(kind=Kind.ANONYMISED).count() == 2
    assert list(AuditEvent.objects.order_by("pk").values_list("kind", "count")) == [
        (AuditEvent.Kind.HELP_STUDENT_ANONYMISED, 2), (AuditEvent.Kind.HELP_STUDENT_ANONYMISED, 0)]
