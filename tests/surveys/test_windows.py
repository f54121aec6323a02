"""Opening survey cycles and their windows through the pages: the pre window with its cycle, the post window,
a window's dates, and the bad input each page refuses while keeping what was typed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classrooms.school_years import current_school_year
from surveys.models import Phase, Respondent, SurveyCycle, SurveyWindow
from tests import factories as f
from tests.pages import parse

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def now(time_machine):
    """A fixed moment (a Tuesday in November, after the clocks went back) the pages and services all read."""
    moment = datetime(2026, 11, 10, 15, 0, tzinfo=CHICAGO)
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def school():
    return f.SchoolFactory(time_zone="America/Chicago")


def classroom(school, grade=4, **kwargs):
    kwargs.setdefault("school_year", current_school_year())
    return f.ClassroomFactory(school=school, grade=grade, **kwargs)


def local(moment: datetime) -> str:
    return f"{moment.astimezone(CHICAGO):%Y-%m-%dT%H:%M}"


def plan(instruments, classrooms, *, opens, closes, title="Autumn survey", privacy="confidential") -> dict:
    return {
        "title": title,
        "instruments": [i.pk for i in instruments],
        "classrooms": [c.pk for c in classrooms],
        "opens_at": local(opens),
        "closes_at": local(closes),
        "privacy": privacy,
    }


def errors(response) -> str:
    """The text of the page's error messages (beside fields and above the form)."""
    page = parse(response.content.decode())
    found = [e.text for e in page.find_all(class_="invalid-feedback")] + [
        e.text for e in page.find_all(class_="alert-danger")
    ]
    return " ".join(found)


def value_of(response, name: str) -> str:
    return parse(response.content.decode()).find("input", name=name).attrs.get("value", "")


def chosen(response, name: str) -> str | None:
    """The value of the radio button ``name`` that is checked."""
    radios = parse(response.content.decode()).find_all("input", name=name, type="radio")
    return next((r.attrs["value"] for r in radios if "checked" in r.attrs), None)


def checked(response, name: str) -> set[int]:
    return {
        int(i.attrs["value"])
        for i in parse(response.content.decode()).find_all("input", name=name)
        if "checked" in i.attrs
    }


def test_a_school_admin_opens_a_cycle_for_any_classroom_of_the_school_in_its_time_zone(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    rooms = [classroom(school), classroom(school, grade=2)]
    forms = [f.InstrumentFactory(grade_min=3, grade_max=8), f.InstrumentFactory(grade_min=0, grade_max=2)]
    client.force_login(admin)
    page = client.get(reverse("surveys:cycle_create"))
    assert chosen(page, "privacy") == "confidential"  # the default
    opens = datetime(2026, 11, 16, 8, 0, tzinfo=CHICAGO)
    response = client.post(
        reverse("surveys:cycle_create"), plan(forms, rooms, opens=opens, closes=opens + timedelta(days=7))
    )
    cycle = SurveyCycle.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("surveys:cycle", kwargs={"pk": cycle.pk})
    window = cycle.windows.get()
    assert (cycle.school, cycle.anonymous, cycle.created_by, window.phase) == (school, False, admin, Phase.PRE)
    assert set(window.instruments.all()) == set(forms) and set(window.classrooms.all()) == set(rooms)
    # 08:00 in Chicago in November is 14:00 UTC.
    assert window.opens_at == datetime(2026, 11, 16, 14, 0, tzinfo=ZoneInfo("UTC"))
    detail = client.get(response["Location"]).content.decode()
    assert "Mon 16 Nov 2026, 08:00" in detail


def test_a_teacher_chooses_among_their_own_classrooms_of_this_school_year_only(client, now, school):
    teacher = f.TeacherFactory(school=school)
    mine = classroom(school, teachers=[teacher])
    classroom(school, teachers=[teacher], school_year=current_school_year() - 1, name="Last year")
    colleagues = classroom(school)
    form = f.InstrumentFactory()
    client.force_login(teacher)
    page = client.get(reverse("surveys:cycle_create"))
    offered = {int(i.attrs["value"]) for i in parse(page.content.decode()).find_all("input", name="classrooms")}
    assert offered == {mine.pk}
    response = client.post(
        reverse("surveys:cycle_create"),
        plan([form], [mine, colleagues], opens=now, closes=now + timedelta(days=3), title="Our kindness check"),
    )
    assert response.status_code == 200 and not SurveyCycle.objects.exists()
    assert "That classroom is not one you can give a survey to" in errors(response)
    assert value_of(response, "title") == "Our kindness check"


def test_another_schools_form_or_classroom_in_the_post_is_refused_and_nothing_is_written(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    mine, form = classroom(school), f.InstrumentFactory()
    elsewhere = f.SchoolFactory()
    theirs = f.InstrumentFactory(school=elsewhere)
    client.force_login(admin)
    for bad in (
        plan([theirs], [mine], opens=now, closes=now + timedelta(days=3)),
        plan([form], [classroom(elsewhere)], opens=now, closes=now + timedelta(days=3)),
        {**plan([form], [mine], opens=now, closes=now + timedelta(days=3)), "classrooms": ["99999999999999999999999"]},
    ):
        response = client.post(reverse("surveys:cycle_create"), bad)
        assert response.status_code == 200
        assert "Reload the page and choose again" in errors(response)
    assert not SurveyCycle.objects.exists() and not SurveyWindow.objects.exists()


def test_a_window_that_closes_before_it_opens_or_has_no_classroom_is_refused_keeping_what_was_typed(
    client, now, school
):
    admin = f.SchoolAdminFactory(school=school)
    room, form = classroom(school), f.InstrumentFactory()
    client.force_login(admin)
    opens = now + timedelta(days=2)
    backwards = client.post(
        reverse("surveys:cycle_create"), plan([form], [room], opens=opens, closes=opens - timedelta(hours=1))
    )
    assert "The survey must close after it opens" in errors(backwards)
    assert value_of(backwards, "opens_at") == local(opens) and checked(backwards, "instruments") == {form.pk}
    nobody = client.post(
        reverse("surveys:cycle_create"),
        {**plan([form], [room], opens=opens, closes=opens + timedelta(days=1)), "classrooms": []},
    )
    assert "Choose at least one classroom." in errors(nobody)
    past = client.post(
        reverse("surveys:cycle_create"),
        plan([form], [room], opens=now - timedelta(days=3), closes=now - timedelta(days=1)),
    )
    assert "That closing time has already passed" in errors(past)
    # Every problem at once, beside its field.
    both = client.post(
        reverse("surveys:cycle_create"),
        {**plan([form], [room], opens=opens, closes=opens - timedelta(hours=1)), "instruments": []},
    )
    assert "The survey must close after it opens" in errors(both) and "Choose at least one form." in errors(both)
    garbled = client.post(
        reverse("surveys:cycle_create"), {**plan([form], [room], opens=opens, closes=opens), "opens_at": "next tuesday"}
    )
    assert "Enter a date and a time" in errors(garbled) and value_of(garbled, "opens_at") == "next tuesday"
    assert not SurveyCycle.objects.exists()


def test_two_forms_answered_the_same_way_must_not_share_a_grade(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    room = classroom(school, grade=4)
    grades_3_8 = f.InstrumentFactory(grade_min=3, grade_max=8, name={"en": "Upper", "es": "Upper"})
    grades_4_5 = f.InstrumentFactory(grade_min=4, grade_max=5, name={"en": "Middle", "es": "Middle"})
    early = f.InstrumentFactory(grade_min=0, grade_max=2)
    peer = f.InstrumentFactory(grade_min=3, grade_max=8, respondent=Respondent.PEER)
    client.force_login(admin)
    window = {"opens": now, "closes": now + timedelta(days=5)}
    overlap = client.post(reverse("surveys:cycle_create"), plan([grades_3_8, grades_4_5], [room], **window))
    assert "“Upper” and “Middle” are both for grade 4" in errors(overlap)
    assert not SurveyCycle.objects.exists()
    # K-2 beside 3-8, and a peer nomination beside a self-report, are fine.
    fine = client.post(reverse("surveys:cycle_create"), plan([grades_3_8, early, peer], [room], **window))
    assert fine.status_code == 302


def test_every_classroom_needs_a_form_its_students_answer(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    first_grade = classroom(school, grade=1, name="Room 1B")
    upper = f.InstrumentFactory(grade_min=3, grade_max=8)
    teacher_report = f.InstrumentFactory(grade_min=0, grade_max=8, respondent=Respondent.TEACHER)
    client.force_login(admin)
    response = client.post(
        reverse("surveys:cycle_create"),
        plan([upper, teacher_report], [first_grade], opens=now, closes=now + timedelta(days=5)),
    )
    assert "Room 1B (Grade 1): none of the chosen forms is for students of that grade." in errors(response)
    assert not SurveyCycle.objects.exists()


def test_an_anonymous_cycle_uses_self_reports_only_and_says_it_cannot_be_undone(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    room = classroom(school)
    own = f.InstrumentFactory()
    about_students = f.InstrumentFactory(respondent=Respondent.TEACHER, name={"en": "Behaviour grid", "es": "Cuadro"})
    client.force_login(admin)
    page = client.get(reverse("surveys:cycle_create")).content.decode()
    assert "no matched pairs" in page and "This cannot be undone." in page
    window = {"opens": now, "closes": now + timedelta(days=5), "privacy": "anonymous"}
    refused = client.post(reverse("surveys:cycle_create"), plan([own, about_students], [room], **window))
    assert "An anonymous survey can use self-reports only: “Behaviour grid” is about named students." in errors(refused)
    assert chosen(refused, "privacy") == "anonymous"  # kept as typed
    assert client.post(reverse("surveys:cycle_create"), plan([own], [room], **window)).status_code == 302
    assert SurveyCycle.objects.get().anonymous


def cycle_with_pre(school, *, by, rooms, forms, opens, closes, anonymous=False):
    cycle = f.SurveyCycleFactory(school=school, created_by=by, anonymous=anonymous)
    window = f.SurveyWindowFactory(
        cycle=cycle, instruments=forms, classrooms=rooms, opens_at=opens, closes_at=closes, created_by=by
    )
    return cycle, window


def test_the_post_window_starts_from_the_pre_windows_forms_and_opens_once_the_pre_one_closed(client, now, school):
    teacher = f.TeacherFactory(school=school)
    rooms = [classroom(school, teachers=[teacher]), classroom(school, teachers=[teacher])]
    form = f.InstrumentFactory()
    cycle, pre = cycle_with_pre(
        school, by=teacher, rooms=rooms, forms=[form], opens=now - timedelta(days=3), closes=now + timedelta(days=4)
    )
    client.force_login(teacher)
    url = reverse("surveys:window_create", kwargs={"pk": cycle.pk})
    page = client.get(url)
    assert checked(page, "instruments") == {form.pk} and checked(page, "classrooms") == {r.pk for r in rooms}
    early = {
        "instruments": [form.pk],
        "classrooms": [r.pk for r in rooms],
        "opens_at": local(now + timedelta(days=2)),
        "closes_at": local(now + timedelta(days=9)),
    }
    refused = client.post(url, early)
    assert "the post survey can open then or later" in errors(refused)
    assert not cycle.windows.filter(phase=Phase.POST).exists()
    response = client.post(
        url, {**early, "opens_at": local(now + timedelta(days=40)), "closes_at": local(now + timedelta(days=47))}
    )
    assert response.status_code == 302
    post = cycle.windows.get(phase=Phase.POST)
    assert set(post.instruments.all()) == {form} and post.created_by == teacher
    # A second post window: a clear message, and nothing written.
    again = client.post(
        url,
        {**early, "opens_at": local(now + timedelta(days=50)), "closes_at": local(now + timedelta(days=57))},
        follow=True,
    )
    assert "already has its post window" in again.content.decode()
    assert cycle.windows.count() == 2
    detail = client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk})).content.decode()
    assert "Open the post window" not in detail and "Post window" in detail


def test_a_window_closes_early_or_is_extended_and_keeps_its_opening_once_open(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    room = classroom(school)
    opened = now - timedelta(days=2)
    cycle, window = cycle_with_pre(
        school, by=admin, rooms=[room], forms=[f.InstrumentFactory()], opens=opened, closes=now + timedelta(days=2)
    )
    client.force_login(admin)
    url = reverse("surveys:window_edit", kwargs={"pk": window.pk})
    page = client.get(url)
    assert not list(parse(page.content.decode()).find_all("input", name="opens_at"))  # it has opened: no field
    later = now + timedelta(days=9)
    response = client.post(url, {"closes_at": local(later), "opens_at": local(now + timedelta(days=1))})
    assert response.status_code == 302
    window.refresh_from_db()
    assert (window.opens_at, window.closes_at) == (opened.replace(second=0), later)
    # Closing it now.
    client.post(url, {"action": "close_now"})
    window.refresh_from_db()
    assert window.closes_at == now
    assert "Closed" in client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk})).content.decode()
    # A closing moment already past is refused (the button closes it now).
    refused = client.post(url, {"closes_at": local(now - timedelta(hours=1))})
    assert "That closing time has already passed" in errors(refused)


def test_a_window_not_open_yet_moves_both_dates_and_the_pre_window_cannot_run_into_the_post(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    room, form = classroom(school), f.InstrumentFactory()
    cycle, pre = cycle_with_pre(
        school, by=admin, rooms=[room], forms=[form], opens=now + timedelta(days=1), closes=now + timedelta(days=8)
    )
    post = f.SurveyWindowFactory(
        cycle=cycle,
        phase=Phase.POST,
        instruments=[form],
        classrooms=[room],
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=37),
    )
    client.force_login(admin)
    url = reverse("surveys:window_edit", kwargs={"pk": pre.pk})
    moved = client.post(url, {"opens_at": local(now + timedelta(days=2)), "closes_at": local(now + timedelta(days=10))})
    assert moved.status_code == 302
    pre.refresh_from_db()
    assert pre.opens_at == now + timedelta(days=2)
    into_post = client.post(
        url, {"opens_at": local(now + timedelta(days=2)), "closes_at": local(now + timedelta(days=31))}
    )
    assert "the pre survey must close by then" in errors(into_post)
    assert value_of(into_post, "closes_at") == local(now + timedelta(days=31))
    before_pre = client.post(
        reverse("surveys:window_edit", kwargs={"pk": post.pk}),
        {"opens_at": local(now + timedelta(days=5)), "closes_at": local(now + timedelta(days=37))},
    )
    assert "the post survey can open then or later" in errors(before_pre)
    pre.refresh_from_db(), post.refresh_from_db()
    assert pre.closes_at == now + timedelta(days=10) and post.opens_at == now + timedelta(days=30)


def test_an_anonymous_cycle_is_never_offered_the_way_back_and_a_confidential_one_only_before_answers(
    client, now, school
):
    admin = f.SchoolAdminFactory(school=school)
    room, form = classroom(school), f.InstrumentFactory()
    student = f.EnrollmentFactory(classroom=room).student
    client.force_login(admin)
    _anonymous, hidden = cycle_with_pre(
        school,
        by=admin,
        rooms=[room],
        forms=[form],
        opens=now - timedelta(days=1),
        closes=now + timedelta(days=3),
        anonymous=True,
    )
    page = client.get(reverse("surveys:window_edit", kwargs={"pk": hidden.pk})).content.decode()
    assert "make_anonymous" not in page and "privacy" not in page and "stays anonymous" in page
    # Whatever is posted, it stays anonymous.
    response = client.post(
        reverse("surveys:window_edit", kwargs={"pk": hidden.pk}),
        {"closes_at": local(now + timedelta(days=4)), "make_anonymous": "", "privacy": "confidential", "anonymous": ""},
    )
    assert response.status_code == 302
    assert SurveyCycle.objects.get(pk=_anonymous.pk).anonymous
    confidential, window = cycle_with_pre(
        school, by=admin, rooms=[room], forms=[form], opens=now - timedelta(days=1), closes=now + timedelta(days=3)
    )
    url = reverse("surveys:window_edit", kwargs={"pk": window.pk})
    assert "make_anonymous" in client.get(url).content.decode()
    window.responses.create(instrument=form, classroom=room, respondent=student, subject=student)
    assert "make_anonymous" not in client.get(url).content.decode()
    window.responses.all().delete()
    assert client.post(url, {"closes_at": local(now + timedelta(days=3)), "make_anonymous": "on"}).status_code == 302
    assert SurveyCycle.objects.get(pk=confidential.pk).anonymous
    # A teacher report is about named students: such a cycle is not offered anonymity either.
    report = f.InstrumentFactory(respondent=Respondent.TEACHER)
    _with_report, graded = cycle_with_pre(
        school,
        by=admin,
        rooms=[room],
        forms=[form, report],
        opens=now - timedelta(days=1),
        closes=now + timedelta(days=3),
    )
    assert "make_anonymous" not in client.get(reverse("surveys:window_edit", kwargs={"pk": graded.pk})).content.decode()


def test_only_the_cycles_managers_change_it_and_a_district_admin_reads_it(client, now, school):
    teacher = f.TeacherFactory(school=school)
    room = classroom(school, teachers=[teacher])
    admin = f.SchoolAdminFactory(school=school)
    cycle, window = cycle_with_pre(
        school,
        by=admin,
        rooms=[room],
        forms=[f.InstrumentFactory()],
        opens=now - timedelta(days=1),
        closes=now + timedelta(days=3),
    )
    district_admin = f.DistrictAdminFactory(district=school.district)
    for person, reads, manages in (
        (teacher, 200, 404),
        (district_admin, 200, 404),
        (admin, 200, 200),
        (f.SchoolAdminFactory(), 404, 404),
    ):
        client.force_login(person)
        assert client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk})).status_code == reads, person.role
        assert client.get(reverse("surveys:window_edit", kwargs={"pk": window.pk})).status_code == manages, person.role
        assert client.get(reverse("surveys:window_create", kwargs={"pk": cycle.pk})).status_code == manages, person.role
    client.force_login(teacher)
    page = client.get(reverse("surveys:cycle", kwargs={"pk": cycle.pk})).content.decode()
    assert "Change the dates" not in page and "Open the post window" not in page


def test_the_surveys_link_is_in_the_menu_of_the_adults_who_follow_surveys(client, school):
    for person, shown in (
        (f.TeacherFactory(school=school), True),
        (f.SchoolAdminFactory(school=school), True),
        (f.DistrictAdminFactory(district=school.district), True),
        (f.StudentFactory(school=school), False),
        (f.CounselorFactory(school=school), False),
    ):
        client.force_login(person)
        menu = parse(client.get(reverse("dashboard")).content.decode()).find("nav", aria_label="Main")
        links = {a.attrs.get("href") for a in menu.find_all("a")}
        assert (reverse("surveys:cycles") in links) is shown, person.role


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_cycle_list_costs_the_same_queries_for_2_or_8_cycles(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    client.force_login(admin)
    form = f.InstrumentFactory()
    counts = []
    for size in (2, 8):
        while SurveyCycle.objects.count() < size:
            rooms = [classroom(school) for _ in range(2)]
            for room in rooms:
                f.EnrollmentFactory(classroom=room)
            cycle, pre = cycle_with_pre(
                school,
                by=admin,
                rooms=rooms,
                forms=[form],
                opens=now - timedelta(days=40),
                closes=now - timedelta(days=30),
            )
            f.SurveyWindowFactory(cycle=cycle, phase=Phase.POST, instruments=[form], classrooms=rooms)
        counts.append(queries(client, reverse("surveys:cycles")))
    assert counts[0] == counts[1]
    page = client.get(reverse("surveys:cycles")).content.decode()
    assert page.count('class="card survey-cycle"') == 8 and "0 of 2 (0%)" in page


def test_the_create_page_costs_the_same_queries_for_2_or_10_classrooms_and_forms(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    client.force_login(admin)
    counts = []
    for size in (2, 10):
        while school.classrooms.count() < size:
            classroom(school)
            f.InstrumentFactory(school=school)
        counts.append(queries(client, reverse("surveys:cycle_create")))
    assert counts[0] == counts[1]


def test_a_title_with_markup_is_shown_as_text(client, now, school):
    admin = f.SchoolAdminFactory(school=school)
    client.force_login(admin)
    room = classroom(school)
    response = client.post(
        reverse("surveys:cycle_create"),
        plan([f.InstrumentFactory()], [room], opens=now, closes=now + timedelta(days=2), title="<b>Bold</b>"),
        follow=True,
    )
    assert "&lt;b&gt;Bold&lt;/b&gt;" in response.content.decode() and "<b>Bold</b>" not in response.content.decode()
    assert timezone.now() == now


def test_a_time_the_clocks_make_ambiguous_is_asked_again_not_guessed(client, school, time_machine):
    """1:30 on the night the clocks go back happens twice in Chicago: the page says so instead of choosing."""
    time_machine.move_to(datetime(2026, 10, 20, 12, 0, tzinfo=CHICAGO), tick=False)
    admin = f.SchoolAdminFactory(school=school)
    client.force_login(admin)
    data = plan(
        [f.InstrumentFactory()],
        [classroom(school)],
        opens=datetime(2026, 10, 25, 8, 0, tzinfo=CHICAGO),
        closes=datetime(2026, 11, 8, 8, 0, tzinfo=CHICAGO),
    )
    response = client.post(reverse("surveys:cycle_create"), {**data, "closes_at": "2026-11-01T01:30"})
    assert response.status_code == 200 and "may be ambiguous" in errors(response)
    assert not SurveyCycle.objects.exists()
