"""One date and time style on every page, in the reader's language, and dates typed the way people type them.

The style is config/formats: "Wed 9 Dec 2026, 10:00" in English, "mié 9 dic 2026, 10:00" in Spanish.
A page that slips back to one of Django's defaults ("Dec. 9, 2026", "10 a.m."), to ISO dates in its
text, to weekday or month names in full beside a day, or to "3 hours ago" fails here. A child's class page says the
next session in words ("Next time: Friday 4 December at 10:00"), checked as that form.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.models import ProgramYear, Session
from tests.factories import ClassroomFactory, NotificationFactory, SessionFactory
from tests.pages import parse

pytestmark = pytest.mark.django_db

EN_DAYS, EN_MONTHS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun", "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
ES_DAYS, ES_MONTHS = "lun|mar|mié|jue|vie|sáb|dom", "ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic"
HOUSE = {
    "en": re.compile(rf"\b(?:{EN_DAYS}) \d{{1,2}} (?:{EN_MONTHS}) \d{{4}}\b"),
    "es": re.compile(rf"(?<!\w)(?:{ES_DAYS}) \d{{1,2}} (?:{ES_MONTHS}) \d{{4}}\b"),
}
CHILD_SENTENCE = re.compile(r'<p class="lead session-next-time">.*?</p>', re.S)
CHILD_FORM = {
    "en": re.compile(r"^Next time: (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+ at \d{2}:\d{2}"),
    "es": re.compile(r"^La próxima vez: el (?:lunes|martes|miércoles|jueves|viernes|sábado|domingo) \d{1,2} de [a-z]+ a las \d{2}:\d{2}"),
}
OTHER_STYLES = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # ISO in the text (machine attributes such as datetime= are not text)
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),  # 12/09/2026: which is the month?
    re.compile(rf"\b(?:{EN_MONTHS})\.? \d{{1,2}}, \d{{4}}"),  # Django's English default, "Dec. 9, 2026"
    re.compile(r"\b\d{1,2}(?::\d{2})? ?(?:a\.m\.|p\.m\.)|\bnoon\b|\bmidnight\b"),  # Django's 12-hour times
    re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    re.compile(r"\b(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo)\b"),
    re.compile(r"\b\d{1,2} de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) de \d{4}"),
    re.compile(r"\b\d+\s\w+ ago\b|\bhace \d"),  # "3 hours ago", "hace 3 horas"
]


def _pages(world) -> dict[str, list[str]]:
    """Persona -> the pages with dates on them that the persona may open."""
    room = world.rooms["A1"]
    pk = room.classroom.pk
    classroom = reverse("classrooms:detail", args=[pk])
    sessions = reverse("classrooms:sessions", args=[pk])
    staff_room = [
        reverse("dashboard"), classroom, sessions, reverse("notifications:list"),
        reverse("classrooms:observation", args=[pk, room.visit.pk]),
        reverse("classrooms:theme_edit", args=[pk, room.theme.pk]),
        reverse("classrooms:session_held", args=[pk, room.visit.pk]),
        reverse("classrooms:session_reschedule", args=[pk, room.lesson.pk]),
    ]
    return {
        "teacher": staff_room,
        "student": [reverse("dashboard"), classroom, reverse("notifications:list")],
        "school_admin": [*staff_room, reverse("classrooms:fidelity")],
        "district_admin": [reverse("dashboard"), reverse("classrooms:fidelity")],
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_says_dates_in_the_one_house_style(client, access_world, language):
    client.cookies["django_language"] = language
    for persona, urls in _pages(access_world).items():
        client.force_login(access_world.people[persona])
        house_dates = 0
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (persona, url)
            # A child's "Next time: Friday 4 December at 10:00" is the house style said in words (a 6-year-old
            # reads "Fri 4 Dec 2026, 10:00" less easily): checked as such, then left out of the rest.
            html = response.text
            for said in CHILD_SENTENCE.findall(html):
                assert CHILD_FORM[language].search(parse(said).text), (persona, url, parse(said).text)
                assert persona == "student", f"{persona} {url}: the child's sentence on an adult's page"
            html = CHILD_SENTENCE.sub("", html)
            # The example beside a date field shows how to type one ("for example 12/25/2026"): not a date shown.
            text = re.sub(r"(?:for example|por ejemplo,) [\d/]+", "", parse(html).find("main").text)
            for style in OTHER_STYLES:
                assert not style.search(text), f"{persona} {url}: {style.search(text).group()!r} in {text[:300]!r}"
            house_dates += len(HOUSE[language].findall(text))
            other_language = HOUSE["es" if language == "en" else "en"]
            assert not other_language.search(text), (persona, url, other_language.search(text).group())
        assert house_dates >= len(urls) // 2, f"{persona}: only {house_dates} dates in the house style"


def test_a_session_reads_the_same_on_every_page_it_appears(client, access_world):
    """The lesson in three days: its day and time, word for word, on the classroom, sessions and home pages."""
    room = access_world.rooms["A1"]
    client.force_login(access_world.people["teacher"])
    local = timezone.localtime(room.lesson.starts_at, room.classroom.school.zone)
    expected = local.strftime("%a ") + str(local.day) + local.strftime(" %b %Y, %H:%M")
    for url in (reverse("classrooms:sessions", args=[room.classroom.pk]), reverse("dashboard")):
        assert expected in parse(client.get(url).text).find("main").text, url


def test_notifications_show_when_they_came_in_the_house_style(client, access_world):
    teacher = access_world.people["teacher"]
    NotificationFactory(recipient=teacher, title="Room 4 was rescheduled")
    client.force_login(teacher)
    for url in (reverse("dashboard"), reverse("notifications:list")):
        text = parse(client.get(url).text).find("main").text
        assert HOUSE["en"].search(text), url
        assert " ago" not in text


# --- Typing a date -------------------------------------------------------------------------------


@pytest.fixture
def room(client):
    classroom = ClassroomFactory(school__time_zone="America/Chicago")
    client.force_login(classroom.teachers.get())
    return classroom


@pytest.fixture
def lesson(room):
    return SessionFactory(classroom=room, starts_at=timezone.now() + timedelta(days=2))


def _reschedule(client, room, lesson, typed, language="en"):
    client.cookies["django_language"] = language
    return client.post(reverse("classrooms:session_reschedule", args=[room.pk, lesson.pk]), {"date": typed, "time": "10:00"})


@pytest.mark.parametrize(
    ("language", "typed"),
    [("en", "{d:%m}/{d:%d}/{d:%Y}"), ("en", "{d:%Y}-{d:%m}-{d:%d}"), ("es", "{d:%d}/{d:%m}/{d:%Y}"), ("es", "{d:%Y}-{d:%m}-{d:%d}")],
)
def test_a_new_date_can_be_typed_as_people_write_it_in_their_language_or_as_iso(client, room, lesson, language, typed):
    day = (timezone.now() + timedelta(days=40)).date().replace(day=25)  # the 25th: never mistaken for a month
    response = _reschedule(client, room, lesson, typed.format(d=day), language)
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert timezone.localtime(lesson.starts_at, room.school.zone).date() == day


def test_a_date_in_the_other_languages_order_is_refused_with_the_expected_format(client, room, lesson):
    """25/12/2026 on an English page: there is no 25th month, and the message says how to write it."""
    year = timezone.now().year + 1
    response = _reschedule(client, room, lesson, f"25/12/{year}")
    assert response.status_code == 200
    assert "Enter a date as MM/DD/YYYY (for example 12/25/2026) or YYYY-MM-DD." in response.text
    assert f'value="25/12/{year}"' in response.text  # what was typed is kept
    lesson.refresh_from_db()
    assert lesson.follows_recurrence or lesson.starts_at > timezone.now()
    spanish = _reschedule(client, room, lesson, f"12/25/{year}", "es")
    assert "DD/MM/YYYY (por ejemplo, 25/12/2026)" in spanish.text


def test_the_date_field_says_how_to_type_a_date(client, room, lesson):
    page = client.get(reverse("classrooms:session_reschedule", args=[room.pk, lesson.pk])).text
    assert "Type it as MM/DD/YYYY (for example 12/25/2026) or YYYY-MM-DD." in page


def test_dates_to_skip_can_be_typed_the_us_way(client, room, time_machine):
    time_machine.move_to(datetime(2026, 9, 1, 12, 0, tzinfo=UTC), tick=False)
    data = {
        "repeat": "weekday", "ordinal": "1", "weekday": "1", "day": "", "at": "10:00",
        "first_month": "10/2026", "last_month": "2027-06", "skipped_dates": "11/03/2026\n2027-01-05",
        "duration_minutes": "45", "format": "lessons", "pre_visit_days": "7", "post_visit_days": "7",
    }
    assert client.post(reverse("classrooms:program_year", args=[room.pk]), data).status_code == 302
    program_year = ProgramYear.objects.get(classroom=room)
    assert program_year.skipped_dates == ["2026-11-03", "2027-01-05"]
    assert program_year.first_month.isoformat() == "2026-10-01"
    assert Session.objects.filter(classroom=room).count() == 7  # nine first Tuesdays, two skipped
