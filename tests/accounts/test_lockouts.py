"""Nobody can lock an adult out from elsewhere; every lock is recorded, and a school admin or the person's own
new password clears it (issue 10, points 1 and 5)."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.signin import DEVICE_COOKIE, DEVICE_FAILURE_LIMIT, axes_lockout_parameters
from tests.factories import PASSWORD, SchoolAdminFactory, SchoolFactory, StudentFactory, TeacherFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ATTACKER, TEACHERS_LAPTOP = "203.0.113.9", "198.51.100.4"


def sign_in(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def hammer(client, username, ip, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "wrong-guess", ip)


def test_wrong_passwords_from_a_stranger_do_not_lock_the_teacher_out(client, settings):
    teacher = TeacherFactory(username="teacher.rivera")
    hammer(client, "teacher.rivera", ATTACKER, settings)
    assert sign_in(client, "teacher.rivera", PASSWORD, ATTACKER).status_code == 429, "the attacker's address is throttled"
    assert sign_in(client, "Teacher.Rivera", PASSWORD, TEACHERS_LAPTOP).status_code == 302, "the teacher is not"
    assert client.get(reverse("dashboard")).context["user"] == teacher


def test_a_student_is_still_locked_wherever_they_sign_in_from(client, settings):
    """A school shares one address, so a student's lock is per username (the short cool-off and the teacher clear it)."""
    student = StudentFactory()
    hammer(client, student.username, ATTACKER, settings)
    response = sign_in(client, student.username, PASSWORD, TEACHERS_LAPTOP)
    assert response.status_code == 429
    assert "ask your teacher to let you sign in now" in response.text


def test_the_adults_lockout_page_says_what_to_do(client, settings):
    TeacherFactory(username="teacher.rivera")
    hammer(client, "teacher.rivera", ATTACKER, settings)
    text = parse(sign_in(client, "teacher.rivera", PASSWORD, ATTACKER).text).text
    assert "from this device or network" in text
    assert "get a new password by e-mail" in text


def test_each_lock_is_an_audit_event(client, settings):
    teacher = TeacherFactory()
    hammer(client, teacher.username, ATTACKER, settings)
    sign_in(client, teacher.username, "again", ATTACKER)
    locks = AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_LOCKED)
    assert [(event.subject, event.school) for event in locks] == [(teacher, teacher.school)]


def test_a_school_admin_lets_a_locked_adult_sign_in_again(client, settings, django_capture_on_commit_callbacks):
    teacher = TeacherFactory(first_name="Ana", last_name="Rivera")
    admin = SchoolAdminFactory(school=teacher.school)
    hammer(client, teacher.username, ATTACKER, settings)
    client.force_login(admin)
    page = client.get(reverse("sign_in_locks"))
    text = parse(page.text).text
    assert "Ana Rivera" in text and ATTACKER in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sign_in_lock_clear", args=[teacher.pk]))
    response = client.get(response["Location"])
    assert "Ana Rivera can sign in again now." in parse(response.text).text
    assert "Nobody in your school is locked out right now." in parse(response.text).text
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_UNLOCKED, actor=admin, subject=teacher).exists()
    client.logout()
    assert sign_in(client, teacher.username, PASSWORD, ATTACKER).status_code == 302


def test_another_schools_admin_neither_sees_nor_clears_the_lock(client, settings):
    teacher = TeacherFactory(first_name="Ana", last_name="Rivera")
    hammer(client, teacher.username, ATTACKER, settings)
    client.force_login(SchoolAdminFactory(school=SchoolFactory()))
    assert "Ana Rivera" not in client.get(reverse("sign_in_locks")).text
    response = client.post(reverse("sign_in_lock_clear", args=[teacher.pk]), follow=True)
    assert "That account is not locked now." in parse(response.text).text
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_UNLOCKED).exists()
    client.logout()
    assert sign_in(client, teacher.username, PASSWORD, ATTACKER).status_code == 429


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_only_a_school_admin_opens_the_list_of_locks(client, role):
    client.force_login(TeacherFactory() if role == "teacher" else StudentFactory())
    assert client.get(reverse("sign_in_locks")).status_code == 404


def test_a_new_password_from_the_e_mailed_link_lets_a_locked_adult_in_at_once(client, settings, django_capture_on_commit_callbacks):
    teacher = TeacherFactory(email="ana@example.org")
    hammer(client, teacher.username, ATTACKER, settings)
    client.post(reverse("password_reset"), {"email": "ana@example.org"}, REMOTE_ADDR=ATTACKER)
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new = "a-brand-new-long-password-27"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert sign_in(client, teacher.username, new, ATTACKER).status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_UNLOCKED, actor=teacher, subject=teacher).exists()


@pytest.mark.parametrize("length", [151, 100_000])
def test_an_over_long_username_gets_a_message_not_a_500(client, length):
    response = sign_in(client, "x" * length, "whatever", ATTACKER)
    assert response.status_code == 200
    assert "No username is that long." in parse(response.text).text
    assert not AccessAttempt.objects.filter(username__startswith="xxxx").exists()


@pytest.mark.parametrize("known", [True, False])
def test_password_reset_e_mails_are_limited_per_address_alike_for_known_and_unknown(client, settings, known):
    if known:
        TeacherFactory(email="ana@example.org")
    answers = [
        client.post(reverse("password_reset"), {"email": "Ana@Example.org"}, REMOTE_ADDR=f"198.51.100.{n}")
        for n in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS + 2)
    ]
    assert [a.status_code for a in answers] == [302] * settings.PASSWORD_RESET_LIMIT_PER_ADDRESS + [429, 429]
    assert "Too many requests for a new password" in parse(answers[-1].text).text
    assert 'value="Ana@Example.org"' in answers[-1].text, "the address typed is kept"
    assert len(mail.outbox) == (settings.PASSWORD_RESET_LIMIT_PER_ADDRESS if known else 0)


def test_password_reset_requests_are_limited_per_client(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 4
    codes = [
        client.post(reverse("password_reset"), {"email": f"person{n}@example.org"}, REMOTE_ADDR=ATTACKER).status_code
        for n in range(6)
    ]
    assert codes == [302, 302, 302, 302, 429, 429]
    assert client.post(reverse("password_reset"), {"email": "other@example.org"}, REMOTE_ADDR=TEACHERS_LAPTOP).status_code == 302


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/classrooms/calendar/a%00b.ics", {}),
        ("get", "/notifications/", {"page": "1\x00"}),
        ("post", "/accounts/login/", {"username": "a\x00b", "password": "x"}),
        ("post", "/accounts/password_reset/", {"email\x00": "a@example.org"}),
    ],
)
def test_a_nul_character_anywhere_in_a_request_is_a_400_before_any_view(client, method, path, data):
    client.force_login(TeacherFactory())
    response = getattr(client, method)(path, data)
    assert response.status_code == 400


def test_the_school_admins_home_page_leads_to_the_locks(client):
    client.force_login(SchoolAdminFactory())
    page = parse(client.get(reverse("dashboard")).text)
    assert any(a.attrs.get("href") == reverse("sign_in_locks") for a in page.find_all("a"))


def test_the_lockout_rule_answers_for_a_stored_attempt_too(client, settings):
    """django-axes asks the rule about AccessAttempt rows as well as requests (its cache handler, its admin)."""
    student, teacher = StudentFactory(), TeacherFactory()
    hammer(client, student.username, ATTACKER, settings)
    hammer(client, teacher.username, ATTACKER, settings)
    rules = {a.username: axes_lockout_parameters(a) for a in AccessAttempt.objects.all()}
    assert rules == {student.username: ["username"], teacher.username: [["username", "ip_address"]]}


def test_a_new_password_without_a_lock_is_no_audit_event(client, django_capture_on_commit_callbacks):
    teacher = TeacherFactory(email="ana@example.org")
    client.post(reverse("password_reset"), {"email": "ana@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    new = "a-brand-new-long-password-27"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code == 302
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_UNLOCKED, subject=teacher).exists()


# --- The adult's own device (a classmate on the same school network cannot keep them out) ---------------------


def test_a_teacher_on_their_own_laptop_signs_in_although_their_school_network_is_locked(settings):
    """The hammering comes from the school's one address, the teacher's laptop too: its device cookie lets them in."""
    teacher = TeacherFactory(username="teacher.rivera")
    laptop, stranger = Client(), Client()
    assert sign_in(laptop, "teacher.rivera", PASSWORD, ATTACKER).status_code == 302  # a sign-in earlier this year
    laptop.post(reverse("logout"))
    hammer(stranger, "teacher.rivera", ATTACKER, settings)
    assert sign_in(stranger, "teacher.rivera", PASSWORD, ATTACKER).status_code == 429, "the stranger's browser is held"
    assert sign_in(laptop, "teacher.rivera", PASSWORD, ATTACKER).status_code == 302, "the teacher's laptop is not"
    assert laptop.get(reverse("dashboard")).context["user"] == teacher


def test_wrong_passwords_on_the_teachers_own_laptop_still_count(settings):
    TeacherFactory(username="teacher.rivera")
    laptop = Client()
    sign_in(laptop, "teacher.rivera", PASSWORD, ATTACKER)
    laptop.post(reverse("logout"))
    for _ in range(DEVICE_FAILURE_LIMIT):
        assert sign_in(laptop, "teacher.rivera", "a-guess", ATTACKER).status_code == 200
    hammer(laptop, "teacher.rivera", ATTACKER, settings)
    assert sign_in(laptop, "teacher.rivera", PASSWORD, ATTACKER).status_code == 429


def test_a_device_cookie_helps_only_its_own_adult_never_a_student(settings):
    TeacherFactory(username="teacher.rivera")
    other = TeacherFactory(username="teacher.lee")
    student = StudentFactory()
    browser = Client()
    sign_in(browser, "teacher.rivera", PASSWORD, ATTACKER)
    browser.post(reverse("logout"))
    hammer(Client(), "teacher.lee", ATTACKER, settings)
    assert sign_in(browser, other.username, PASSWORD, ATTACKER).status_code == 429, "rivera's cookie is not lee's"
    kid = Client()
    assert sign_in(kid, student.username, PASSWORD, ATTACKER).status_code == 302
    assert DEVICE_COOKIE not in kid.cookies, "students share devices: no device cookie"


def test_the_locks_page_costs_the_same_queries_for_2_or_20_locked_accounts(client, settings):
    admin = SchoolAdminFactory()

    def lock(n):
        for _ in range(n):
            person = TeacherFactory(school=admin.school)
            hammer(Client(), person.username, ATTACKER, settings)

    def queries():
        client.force_login(admin)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("sign_in_locks"))
        return len(captured), page

    lock(2)
    small, page = queries()
    assert page.text.count("Let them sign in") == 2
    lock(18)
    big, page = queries()
    assert page.text.count("Let them sign in") == 20
    assert big == small


PROXY = "172.18.0.5"  # docker-compose.yml's nginx, from which every request comes


def test_behind_the_proxy_a_strangers_wrong_passwords_still_lock_only_the_stranger(client, settings):
    """With CLIENT_IP_HEADER set, the address the proxy names is counted, not the proxy's own."""
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    TeacherFactory(username="teacher.rivera")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "teacher.rivera", "password": "wrong-guess"}, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ATTACKER)
    right = {"username": "teacher.rivera", "password": PASSWORD}
    assert client.post(LOGIN, right, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=ATTACKER).status_code == 429
    assert client.post(LOGIN, right, REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=TEACHERS_LAPTOP).status_code == 302
    assert AccessAttempt.objects.get().ip_address == ATTACKER


@pytest.mark.parametrize(("header", "claimed"), [("", "198.51.100.{n}"), ("X-Real-IP", "not an address {n}")])
def test_an_address_claimed_in_a_header_heard_does_not_trust_is_not_believed(client, settings, header, claimed):
    """Without CLIENT_IP_HEADER (or with nonsense in it), changing the header does not escape the lock."""
    settings.CLIENT_IP_HEADER = header
    TeacherFactory(username="teacher.rivera")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN, {"username": "teacher.rivera", "password": "wrong-guess"},
            REMOTE_ADDR=ATTACKER, HTTP_X_REAL_IP=claimed.format(n=n),
        )  # fmt: skip
    response = client.post(
        LOGIN, {"username": "teacher.rivera", "password": PASSWORD}, REMOTE_ADDR=ATTACKER, HTTP_X_REAL_IP=claimed.format(n=99)
    )
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == ATTACKER
