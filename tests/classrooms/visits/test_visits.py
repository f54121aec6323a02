"""The visiting family, the themes and the baby-observation log: services, pages, scoping and cost."""

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from classrooms.models import BabyObservation, ProgramYear, Session, Theme, VisitingFamily
from classrooms.visits.services import (
    baby_observation_record,
    theme_update,
    visiting_family_create,
    visiting_family_update,
)
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
    VisitingFamilyFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 20, 18, 0, tzinfo=UTC)
# 10:00 in Chicago (the factories' school zone), the first Tuesday of each month.
VISITS = [datetime(2026, 10, 6, 15, 0, tzinfo=UTC), datetime(2026, 11, 3, 16, 0, tzinfo=UTC),
          datetime(2026, 12, 1, 16, 0, tzinfo=UTC), datetime(2027, 1, 5, 16, 0, tzinfo=UTC),
          datetime(2027, 2, 2, 16, 0, tzinfo=UTC)]


def make_theme(classroom, number, visit_at, *, family=None, title="", instructor=None) -> Theme:
    """A theme as a visits-format program year makes it: pre-visit lesson, family visit, post-visit lesson."""
    theme = Theme.objects.create(classroom=classroom, number=number, title=title, family=family, instructor=instructor)
    for kind, offset in ((Session.Kind.PRE_VISIT, -7), (Session.Kind.FAMILY_VISIT, 0), (Session.Kind.POST_VISIT, 7)):
        Session.objects.create(classroom=classroom, theme=theme, kind=kind, starts_at=visit_at + timedelta(days=offset))
    return theme


def visit_of(theme) -> Session:
    return theme.sessions.get(kind=Session.Kind.FAMILY_VISIT)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def student():
    return StudentFactory()


@pytest.fixture
def classroom(student):
    return ClassroomFactory(school=student.school, students=[student])


@pytest.fixture
def teacher(classroom):
    return classroom.teachers.get()


@pytest.fixture
def family(classroom):
    return VisitingFamilyFactory(classroom=classroom, name="The Okafor family", baby_name="Ada", baby_born_on=date(2026, 7, 1))


@pytest.fixture
def themes(classroom, family):
    return [make_theme(classroom, n, at, family=family, title=f"Topic {n}") for n, at in enumerate(VISITS, start=1)]


def detail(classroom):
    return reverse("classrooms:detail", args=[classroom.pk])


# --- Services ---------------------------------------------------------------------------------------------------


def test_a_new_family_becomes_the_family_of_every_theme_without_one(classroom, teacher):
    other = VisitingFamilyFactory(classroom=classroom)
    kept = make_theme(classroom, 1, VISITS[0], family=other)
    empty = [make_theme(classroom, n, VISITS[n - 1]) for n in (2, 3)]
    family = visiting_family_create(
        classroom=classroom, by=teacher, name="  The  Lee family ", contact_email="lee@home.example",
        baby_name="Jun", baby_born_on=date(2026, 8, 15),
    )
    assert family.name == "The Lee family"
    assert family.themes_assigned == 2
    assert [t.family_id for t in Theme.objects.filter(pk__in=[e.pk for e in empty])] == [family.pk, family.pk]
    kept.refresh_from_db()
    assert kept.family_id == other.pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"baby_born_on": date(2027, 3, 1)}, "baby_born_on"),  # after "today" (20 January 2027)
        ({"baby_born_on": date(2020, 3, 1)}, "baby_born_on"),  # a typo in the year
    ],
)
def test_a_family_with_bad_details_is_refused_with_a_message_on_the_field(classroom, teacher, fields, field):
    good = {"name": "The Lee family", "contact_email": "lee@home.example", "baby_name": "", "baby_born_on": date(2026, 8, 1)}
    with pytest.raises(ValidationError) as caught:
        visiting_family_create(classroom=classroom, by=teacher, **{**good, **fields})
    assert list(caught.value.message_dict) == [field]
    assert not VisitingFamily.objects.exists()


def test_only_managers_add_or_change_a_family(classroom, family, student):
    colleague = TeacherFactory(school=classroom.school)
    for outsider in (student, colleague, CounselorFactory(school=classroom.school)):
        with pytest.raises(PermissionDenied):
            visiting_family_create(classroom=classroom, by=outsider, name="X", contact_email="x@example.com",
                                   baby_name="", baby_born_on=date(2026, 8, 1))
        with pytest.raises(PermissionDenied):
            visiting_family_update(family=family, by=outsider, name="Changed")
    family.refresh_from_db()
    assert family.name == "The Okafor family"


def test_a_family_update_changes_only_what_is_given(family, teacher):
    visiting_family_update(family=family, by=teacher, baby_name="  Ada  Grace ")
    family.refresh_from_db()
    assert (family.name, family.baby_name) == ("The Okafor family", "Ada Grace")
    with pytest.raises(TypeError):
        visiting_family_update(family=family, by=teacher, classroom_id=999)


def test_a_theme_takes_an_adult_of_the_school_and_a_family_of_the_classroom(classroom, teacher, family, student):
    theme = make_theme(classroom, 1, VISITS[0])
    counselor = CounselorFactory(school=classroom.school)
    theme_update(theme=theme, by=teacher, title="  Crying ", family=family, instructor=counselor)
    theme.refresh_from_db()
    assert (theme.title, theme.family_id, theme.instructor_id) == ("Crying", family.pk, counselor.pk)

    elsewhere = TeacherFactory()  # another school
    for instructor in (elsewhere, student, DistrictAdminFactory(district=classroom.school.district)):
        with pytest.raises(ValidationError) as caught:
            theme_update(theme=theme, by=teacher, title="Crying", family=family, instructor=instructor)
        assert "instructor" in caught.value.message_dict
    other_family = VisitingFamilyFactory(classroom=ClassroomFactory(school=classroom.school))
    with pytest.raises(ValidationError) as caught:
        theme_update(theme=theme, by=teacher, title="Crying", family=other_family, instructor=None)
    assert "family" in caught.value.message_dict
    theme.refresh_from_db()
    assert theme.instructor_id == counselor.pk and theme.family_id == family.pk


def test_a_school_admin_may_lead_a_visit_and_set_it(classroom, family):
    admin = SchoolAdminFactory(school=classroom.school)
    theme = make_theme(classroom, 1, VISITS[0])
    theme_update(theme=theme, by=admin, title="", family=None, instructor=admin)
    assert Theme.objects.get(pk=theme.pk).instructor_id == admin.pk


def test_an_observation_is_recorded_then_corrected(themes, teacher):
    visit = visit_of(themes[0])
    baby_observation_record(session=visit, by=teacher, weight_kg="6.125", length_cm=Decimal("60.04"),
                            milestones=" Rolls over ", feelings=["curious", "happy"], feelings_note="")
    obs = BabyObservation.objects.get(session=visit)
    assert (obs.weight_kg, obs.length_cm, obs.milestones) == (Decimal("6.13"), Decimal("60.0"), "Rolls over")
    assert obs.feelings == ["happy", "curious"]  # the list's order, whatever order they were ticked in
    assert obs.recorded_by == teacher
    baby_observation_record(session=visit, by=teacher, weight_kg=None, length_cm="61", milestones="",
                            feelings=[], feelings_note="Calm in her father's arms")
    obs = BabyObservation.objects.get(session=visit)
    assert (obs.weight_kg, obs.length_cm, obs.feelings) == (None, Decimal("61.0"), [])
    assert BabyObservation.objects.count() == 1


def test_a_visit_in_the_future_cannot_be_observed_yet(themes, teacher):
    future = visit_of(themes[4])
    with pytest.raises(ValidationError) as caught:
        baby_observation_record(session=future, by=teacher, weight_kg="7")
    assert "has not happened yet" in caught.value.messages[0]
    assert not BabyObservation.objects.exists()


def test_only_a_family_visit_that_was_not_cancelled_is_observed(themes, teacher):
    lesson = themes[0].sessions.get(kind=Session.Kind.PRE_VISIT)
    with pytest.raises(ValidationError):
        baby_observation_record(session=lesson, by=teacher, weight_kg="7")
    cancelled = visit_of(themes[1])
    Session.objects.filter(pk=cancelled.pk).update(status=Session.Status.CANCELLED)
    cancelled.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        baby_observation_record(session=cancelled, by=teacher, weight_kg="7")
    assert "cancelled" in caught.value.messages[0]
    assert not BabyObservation.objects.exists()


@pytest.mark.parametrize(
    ("weight", "length", "fields"),
    [
        ("6400", None, ["weight_kg"]),  # grams
        ("0.4", None, ["weight_kg"]),
        ("25.01", None, ["weight_kg"]),
        (None, "25", ["length_cm"]),  # inches
        (None, "121", ["length_cm"]),
        ("14000", "500", ["weight_kg", "length_cm"]),
        ("NaN", None, ["weight_kg"]),
    ],
)
def test_implausible_measurements_are_refused_with_a_hint(themes, teacher, weight, length, fields):
    with pytest.raises(ValidationError) as caught:
        baby_observation_record(session=visit_of(themes[0]), by=teacher, weight_kg=weight, length_cm=length)
    assert sorted(caught.value.message_dict) == sorted(fields)
    assert not BabyObservation.objects.exists()


def test_the_limits_themselves_are_plausible(themes, teacher):
    baby_observation_record(session=visit_of(themes[0]), by=teacher, weight_kg="0.5", length_cm="120")
    baby_observation_record(session=visit_of(themes[1]), by=teacher, weight_kg="25", length_cm="30")
    assert BabyObservation.objects.count() == 2


def test_unknown_feelings_are_refused(themes, teacher):
    with pytest.raises(ValidationError) as caught:
        baby_observation_record(session=visit_of(themes[0]), by=teacher, feelings=["happy", "hungry"])
    assert "feelings" in caught.value.message_dict


def test_only_managers_record_observations(themes, student):
    for outsider in (student, TeacherFactory(school=themes[0].classroom.school)):
        with pytest.raises(PermissionDenied):
            baby_observation_record(session=visit_of(themes[0]), by=outsider, weight_kg="6")
    assert not BabyObservation.objects.exists()


# --- Pages: the family ------------------------------------------------------------------------------------------


def test_a_teacher_adds_the_family_through_the_page(client, classroom, teacher):
    make_theme(classroom, 1, VISITS[0])
    make_theme(classroom, 2, VISITS[1])
    client.force_login(teacher)
    url = reverse("classrooms:family_create", args=[classroom.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "all 2 themes that have no family yet" in page.content.decode()
    response = client.post(url, {"name": "The Lee family", "contact_email": "lee@home.example", "baby_name": "Jun",
                                 "baby_born_on": "2026-08-15"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(detail(classroom))
    family = VisitingFamily.objects.get(classroom=classroom)
    assert Theme.objects.filter(classroom=classroom, family=family).count() == 2
    assert "all 2 themes that had none" in response.content.decode()


def test_a_family_form_with_mistakes_keeps_what_was_typed(client, classroom, teacher):
    client.force_login(teacher)
    url = reverse("classrooms:family_create", args=[classroom.pk])
    response = client.post(url, {"name": "The Lee family", "contact_email": "lee-at-home", "baby_name": "Jun",
                                 "baby_born_on": "2027-05-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The date of birth is in the future" in html and "Enter a valid email address" in html  # both at once
    assert 'value="The Lee family"' in html and 'value="Jun"' in html and 'value="2027-05-01"' in html
    assert 'value="lee-at-home"' in html
    assert client.post(url, {}).status_code == 200  # an empty form is an error page, not a crash
    assert not VisitingFamily.objects.exists()


def test_a_family_is_edited_and_shown_with_its_values(client, classroom, teacher, family):
    client.force_login(teacher)
    url = reverse("classrooms:family_edit", args=[classroom.pk, family.pk])
    assert 'value="2026-07-01"' in client.get(url).content.decode()
    response = client.post(url, {"name": "The Okafor-Ibe family", "contact_email": "oi@home.example", "baby_name": "Ada",
                                 "baby_born_on": "2026-07-02"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.name, family.baby_born_on) == ("The Okafor-Ibe family", date(2026, 7, 2))


def test_family_pages_are_scoped(client, classroom, teacher, family, student):
    elsewhere_family = VisitingFamilyFactory(classroom=ClassroomFactory(school=classroom.school))
    client.force_login(teacher)
    # another classroom's family under this classroom's address
    assert client.get(reverse("classrooms:family_edit", args=[classroom.pk, elsewhere_family.pk])).status_code == 404
    # a classroom of another school
    other_school = ClassroomFactory()
    assert client.get(reverse("classrooms:family_create", args=[other_school.pk])).status_code == 404
    client.force_login(student)
    assert client.get(reverse("classrooms:family_create", args=[classroom.pk])).status_code == 404
    assert client.post(reverse("classrooms:family_edit", args=[classroom.pk, family.pk]), {"name": "X"}).status_code == 404


# --- Pages: themes ----------------------------------------------------------------------------------------------


def test_the_theme_form_offers_only_this_classrooms_families_and_this_schools_adults(
    client, classroom, teacher, family, student
):
    theme = make_theme(classroom, 1, VISITS[0])
    counselor = CounselorFactory(school=classroom.school, first_name="Cora", last_name="Counsel")
    far_teacher = TeacherFactory(first_name="Far", last_name="Away")
    neighbour_family = VisitingFamilyFactory(classroom=ClassroomFactory(school=classroom.school), name="Neighbours")
    client.force_login(teacher)
    url = reverse("classrooms:theme_edit", args=[classroom.pk, theme.pk])
    html = client.get(url).content.decode()
    assert "The Okafor family" in html and "Neighbours" not in html
    assert "Cora Counsel (Counselor)" in html and "Far Away" not in html
    assert student.display_name not in html

    response = client.post(url, {"title": "Crying", "family": family.pk, "instructor": far_teacher.pk})
    assert response.status_code == 200  # not a choice: the form says so and keeps the title
    assert 'value="Crying"' in response.content.decode()
    response = client.post(url, {"title": "Crying", "family": neighbour_family.pk, "instructor": counselor.pk})
    assert response.status_code == 200
    theme.refresh_from_db()
    assert theme.title == "" and theme.instructor_id is None

    assert client.post(url, {"title": "Crying", "family": family.pk, "instructor": counselor.pk}).status_code == 302
    theme.refresh_from_db()
    assert (theme.title, theme.family_id, theme.instructor_id) == ("Crying", family.pk, counselor.pk)
    assert client.post(url, {}).status_code == 302  # every field is optional: an empty form clears the theme
    theme.refresh_from_db()
    assert (theme.title, theme.family_id, theme.instructor_id) == ("", None, None)


def test_theme_pages_are_scoped(client, classroom, teacher, student):
    neighbour = ClassroomFactory(school=classroom.school)
    foreign_theme = make_theme(neighbour, 1, VISITS[0])
    own_theme = make_theme(classroom, 1, VISITS[0])
    client.force_login(teacher)
    assert client.get(reverse("classrooms:theme_edit", args=[classroom.pk, foreign_theme.pk])).status_code == 404
    assert client.get(reverse("classrooms:theme_edit", args=[neighbour.pk, foreign_theme.pk])).status_code == 404
    client.force_login(student)
    assert client.get(reverse("classrooms:theme_edit", args=[classroom.pk, own_theme.pk])).status_code == 404
    client.force_login(SchoolAdminFactory())  # another school's admin
    assert client.get(reverse("classrooms:theme_edit", args=[classroom.pk, own_theme.pk])).status_code == 404


# --- Pages: observations ----------------------------------------------------------------------------------------


def observation_url(classroom, session):
    return reverse("classrooms:observation", args=[classroom.pk, session.pk])


def test_a_teacher_records_what_the_class_saw(client, classroom, teacher, themes):
    visit = visit_of(themes[1])  # 3 November 2026, Ada born 1 July 2026
    client.force_login(teacher)
    page = client.get(observation_url(classroom, visit)).content.decode()
    assert "Ada was 4 months, 2 days old on the day of this visit." in page
    assert 'name="feelings" value="curious"' in page and "Curious" in page
    response = client.post(observation_url(classroom, visit), {
        "weight_kg": "6.85", "length_cm": "62.5", "milestones": "Holds a rattle",
        "feelings": ["happy", "curious"], "feelings_note": "She laughed",
    })
    assert response.status_code == 302
    obs = BabyObservation.objects.get(session=visit)
    assert (obs.weight_kg, obs.length_cm, obs.feelings) == (Decimal("6.85"), Decimal("62.5"), ["happy", "curious"])
    again = client.get(observation_url(classroom, visit)).content.decode()
    assert 'value="6.85 kg"' in again and "Holds a rattle" in again
    assert re.search(r'value="curious"[^>]*checked', again)


def test_bad_measurements_keep_what_was_typed(client, classroom, teacher, themes):
    client.force_login(teacher)
    response = client.post(observation_url(classroom, visit_of(themes[0])), {
        "weight_kg": "6400", "length_cm": "61", "milestones": "Smiles back", "feelings": ["calm"],
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "between 0.5 and 25 kg" in html
    assert 'value="6400"' in html and 'value="61"' in html and "Smiles back" in html
    assert re.search(r'value="calm"[^>]*checked', html)
    assert client.post(observation_url(classroom, visit_of(themes[0])), {"weight_kg": "heavy"}).status_code == 200
    assert client.post(observation_url(classroom, visit_of(themes[0])), {}).status_code == 302  # nothing is required
    assert not BabyObservation.objects.exclude(weight_kg=None).exists()


def test_a_future_visit_shows_why_it_cannot_be_recorded(client, classroom, teacher, themes):
    future = visit_of(themes[4])
    client.force_login(teacher)
    page = client.get(observation_url(classroom, future)).content.decode()
    assert "has not happened yet" in page and 'name="weight_kg"' not in page
    response = client.post(observation_url(classroom, future), {"weight_kg": "7.2"})
    assert response.status_code == 200
    assert "has not happened yet" in response.content.decode()
    assert not BabyObservation.objects.exists()


def test_observation_pages_are_scoped(client, classroom, teacher, themes, student):
    neighbour = ClassroomFactory(school=classroom.school, teachers=[teacher])
    foreign_visit = visit_of(make_theme(neighbour, 1, VISITS[0]))
    lesson = themes[0].sessions.get(kind=Session.Kind.POST_VISIT)
    client.force_login(teacher)
    # a visit of another classroom (even one this teacher also teaches) under this classroom's address
    assert client.get(observation_url(classroom, foreign_visit)).status_code == 404
    assert client.get(observation_url(classroom, lesson)).status_code == 404  # a lesson is not a visit
    assert client.get(observation_url(neighbour, foreign_visit)).status_code == 200
    client.force_login(student)
    assert client.get(observation_url(classroom, visit_of(themes[0]))).status_code == 404
    assert client.post(observation_url(classroom, visit_of(themes[0])), {"weight_kg": "6"}).status_code == 404
    client.force_login(TeacherFactory())  # another school
    assert client.get(observation_url(classroom, visit_of(themes[0]))).status_code == 404
    assert not BabyObservation.objects.exists()


# --- The classroom page -----------------------------------------------------------------------------------------


def observe(themes, teacher, values):
    for theme, (weight, length) in zip(themes, values, strict=False):
        baby_observation_record(session=visit_of(theme), by=teacher, weight_kg=weight, length_cm=length,
                                milestones="", feelings=["happy"], feelings_note="")


def test_the_teacher_sees_the_family_themes_log_and_chart(client, classroom, teacher, themes):
    counselor = CounselorFactory(school=classroom.school, first_name="Cora", last_name="Counsel")
    Theme.objects.filter(pk=themes[0].pk).update(instructor=counselor)
    observe(themes, teacher, [("6.1", "60"), ("6.85", "62.5"), ("7.5", "64"), ("8.4", "66")])
    client.force_login(teacher)
    html = client.get(detail(classroom)).content.decode()
    assert "Family visits" in html and "The Okafor family" in html
    assert "Baby Ada is 6 months, 19 days old today." in html
    assert "family" in html and "@home.example" in html
    assert "Cora Counsel" in html
    assert "Tue 6 Oct 2026, 10:00" in html  # local time in Chicago, not UTC
    assert 'alt="Growth chart. Ada&#x27;s weight went from 6.1 kg to 8.4 kg between October and January.' in html
    assert "Ada&#x27;s length went from 60 cm to 66 cm between October and January." in html
    table = html[html.index("<table"):html.index("</table>")]
    for value in ("6.1", "6.85", "7.5", "8.4", "62.5", "66", "Happy", "3 months, 5 days"):
        assert value in table
    assert html.count(reverse("classrooms:baby_chart", args=[classroom.pk])) == 1
    # edit links for the four visits that happened; none for February's
    assert html.count("what the class saw") == 4
    assert observation_url(classroom, visit_of(themes[4])) not in html
    assert html.count(reverse("classrooms:theme_edit", args=[classroom.pk, themes[4].pk])) == 1


def test_the_alt_text_reads_well_with_one_visit_or_no_baby_name(client, classroom, teacher, themes, family):
    VisitingFamily.objects.filter(pk=family.pk).update(baby_name="")
    baby_observation_record(session=visit_of(themes[0]), by=teacher, weight_kg="6.1", length_cm=None)
    client.force_login(teacher)
    html = client.get(detail(classroom)).content.decode()
    assert 'alt="Growth chart. The baby weighed 6.1 kg in October."' in html


def test_a_student_sees_the_same_without_the_email_or_edit_links(client, classroom, teacher, themes, student):
    observe(themes, teacher, [("6.1", "60"), ("6.85", "62.5")])
    client.force_login(student)
    html = client.get(detail(classroom)).content.decode()
    assert "The Okafor family" in html and "Baby Ada" in html and "6.85" in html
    assert "@home.example" not in html
    assert "what the class saw" not in html and "Edit theme" not in html and "Edit family" not in html
    assert reverse("classrooms:baby_chart", args=[classroom.pk]) in html


def test_a_teacher_is_invited_to_add_the_family_and_a_student_is_told_to_wait(client, classroom, teacher, student):
    ProgramYear.objects.create(classroom=classroom, at=time(10), ordinal=1, weekday=1, first_month=date(2026, 10, 1),
                               last_month=date(2027, 6, 1), format=ProgramYear.Format.VISITS)
    client.force_login(teacher)
    html = client.get(detail(classroom)).content.decode()
    assert "Add the visiting family" in html and reverse("classrooms:family_create", args=[classroom.pk]) in html
    assert "<img" not in html[html.index('id="visits-heading"'):]  # nothing measured: no chart
    client.force_login(student)
    html = client.get(detail(classroom)).content.decode()
    assert "Family visits" in html and "Add the visiting family" not in html


def test_a_lessons_year_without_families_has_no_visits_section(client, classroom, teacher):
    ProgramYear.objects.create(classroom=classroom, at=time(10), ordinal=1, weekday=1, first_month=date(2026, 10, 1), last_month=date(2027, 6, 1))
    client.force_login(teacher)
    assert 'id="visits-heading"' not in client.get(detail(classroom)).content.decode()


def test_an_observation_without_measurements_shows_a_table_but_no_chart(client, classroom, teacher, themes):
    baby_observation_record(session=visit_of(themes[0]), by=teacher, feelings=["shy"], milestones="Babbles")
    client.force_login(teacher)
    html = client.get(detail(classroom)).content.decode()
    assert "Shy" in html and "Babbles" in html
    assert reverse("classrooms:baby_chart", args=[classroom.pk]) not in html


def test_typed_text_is_escaped_everywhere(client, classroom, teacher, themes, student, family):
    attack = "<script>alert(1)</script>"
    Theme.objects.filter(pk=themes[0].pk).update(title=attack)
    VisitingFamily.objects.filter(pk=family.pk).update(name=attack, baby_name=attack)
    baby_observation_record(session=visit_of(themes[0]), by=teacher, weight_kg="6", milestones=attack,
                            feelings=["calm"], feelings_note=attack)
    for user in (teacher, student):
        client.force_login(user)
        html = client.get(detail(classroom)).content.decode()
        assert attack not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    client.force_login(teacher)
    for url in (observation_url(classroom, visit_of(themes[0])),
                reverse("classrooms:theme_edit", args=[classroom.pk, themes[0].pk]),
                reverse("classrooms:family_edit", args=[classroom.pk, family.pk])):
        assert attack not in client.get(url).content.decode()
    chart = client.get(reverse("classrooms:baby_chart", args=[classroom.pk])).content.decode()
    assert attack not in chart


@pytest.mark.parametrize("viewer", ["teacher", "student", "instructor"])
def test_the_classroom_page_costs_the_same_for_2_or_9_themes(client, viewer):
    def page_queries(n):
        student = StudentFactory()
        classroom = ClassroomFactory(school=student.school, students=[student])
        teacher = classroom.teachers.get()
        family = VisitingFamilyFactory(classroom=classroom)
        instructor = CounselorFactory(school=classroom.school)
        start = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
        themes = [make_theme(classroom, i + 1, start + timedelta(days=28 * i), family=family, instructor=instructor)
                  for i in range(n)]
        observe(themes, teacher, [("6.1", "60")] * n)
        client.force_login({"teacher": teacher, "student": student, "instructor": instructor}[viewer])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(detail(classroom))
        assert page.status_code == 200
        assert (family.contact_email in page.text) == (viewer != "student")  # the instructor sees the family's contacts
        return len(queries)

    small, large = page_queries(2), page_queries(9)
    assert small == large, (small, large)
