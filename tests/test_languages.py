"""Every page in English and in Spanish: the browser's language or the footer's button chooses, and the
Spanish catalogue holds every string Heard shows (a string added without its Spanish fails here)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.factories import ClassroomFactory
from tests.pages import parse

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
SOURCES = ("accounts", "notifications", "classrooms", "curriculum", "surveys", "home", "config", "templates")

# tests/conftest.py compiles the catalogue for the session, as `make messages` does.
pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None and os.environ.get("HEARD_REQUIRE_SERVICES") != "1",
    reason="Debian's gettext (msgfmt) is not installed (set HEARD_REQUIRE_SERVICES=1 to fail instead)",
)


def heading(response) -> str:
    return parse(response.text).find("h1").text


def test_a_spanish_browser_gets_the_sign_in_page_in_spanish(client):
    english = client.get(reverse("login"))
    spanish = client.get(reverse("login"), headers={"accept-language": "es-MX,es;q=0.9"})
    with translation.override("es"):
        expected = translation.gettext("Sign in to Heard")
    assert heading(english) == "Sign in to Heard"
    assert heading(spanish) == expected != "Sign in to Heard"
    assert parse(spanish.text).find("html").attrs["lang"] == "es"


@pytest.mark.django_db
def test_the_footer_button_switches_the_language_and_it_stays_switched(client):
    """A child on a school laptop set to English presses "Ver esta página en español" and reads on in Spanish."""
    page = client.get(reverse("login"))
    button = parse(page.text).find("footer").find("button")
    assert (button.text, button.attrs["lang"], button.attrs["value"]) == ("Ver esta página en español", "es", "es")
    switched = client.post(reverse("set_language"), {"language": "es", "next": reverse("login")})
    assert switched.status_code == 302 and switched["Location"] == reverse("login")
    again = client.get(reverse("login"))
    assert parse(again.text).find("html").attrs["lang"] == "es"
    back = parse(again.text).find("footer").find("button")
    assert (back.text, back.attrs["lang"], back.attrs["value"]) == ("View this page in English", "en", "en")


def test_the_catalogue_compiles_with_every_placeholder_intact():
    """msgfmt --check: each %(name)s of an English string is in its Spanish one, plural forms included."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(CATALOGUE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_every_string_heard_shows_has_its_spanish(tmp_path):
    """Extract the strings of today's code (makemessages, on a copy) and merge them into the catalogue: a string
    that is new or changed comes out untranslated or fuzzy, and is named here."""
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["es"], verbosity=0)
    finally:
        os.chdir(previous)
    merged = (tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text()
    missing = untranslated(merged)
    assert missing == [], "strings without their Spanish (add them to locale/es/LC_MESSAGES/django.po):\n" + "\n".join(missing)


def untranslated(po: str) -> list[str]:
    """The msgids of a .po text whose translation is empty or marked fuzzy (the header excepted)."""
    found = []
    for entry in po.split("\n\n"):
        lines = [line for line in entry.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid = _field(lines, "msgid")
        if not msgid:
            continue
        strings = [_field(lines, key) for key in ("msgstr", "msgstr[0]", "msgstr[1]")]
        if fuzzy or not any(strings) or ("msgid_plural" in entry and not all(strings[1:])):
            found.append(msgid)
    return found


def _field(lines: list[str], key: str) -> str:
    """The joined text of ``key "..."`` and the quoted lines that continue it."""
    text, reading = [], False
    for line in lines:
        if line.startswith(key + " "):
            reading = True
            text.append(line[len(key) + 1 :].strip().strip('"'))
        elif reading and line.startswith('"'):
            text.append(line.strip('"'))
        elif reading:
            break
    return "".join(text)


@pytest.mark.django_db
def test_help_texts_are_translated_when_the_page_is_shown_not_when_the_code_loads(client):
    """The add-students form's help, with its number in it, reads in the teacher's language."""
    classroom = ClassroomFactory()
    client.force_login(classroom.teachers.get())
    page = client.get(reverse("classrooms:students_add", args=[classroom.pk]), headers={"accept-language": "es"})
    with translation.override("es"):
        expected = translation.gettext(
            "One student per line, up to %(n)s at a time. You can paste the first-name and last-name columns of a spreadsheet."
        ) % {"n": 40}
    assert expected in parse(page.text).find("main").text
