from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from classrooms.models import Session
from curriculum.models import Submission
from tests.factories import (
    AssignmentFactory,
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    NotificationFactory,
    SchoolAdminFactory,
    SchoolFactory,
    SessionFactory,
    StudentFactory,
    TeacherFactory,
    ThemeFactory,
)
from tests.pages import definitions, parse, table

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("dashboard")


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_student_dashboard_lists_their_classrooms(client):
    student = StudentFactory()
    ClassroomFactory(school=student.school, name="Room Sunflower", students=[student])
    ClassroomFactory(school=student.school, name="Room Elsewhere")
    client.force_login(student)
    page = client.get(DASHBOARD).text
    assert "Room Sunflower" in page
    assert "Room Elsewhere" not in page


def test_every_link_on_a_students_home_page_has_a_name_of_its_own(client):
    """The classroom's card and each of its sessions coming up do not all read "Room Sunflower"."""
    student = StudentFactory()
    room = ClassroomFactory(school=student.school, name="Room Sunflower", students=[student])
    soon = timezone.localtime(timezone.now() + timedelta(days=2), student.school.zone)
    first = SessionFactory(classroom=room, starts_at=soon)
    second = SessionFactory(classroom=room, starts_at=soon + timedelta(days=7))
    client.force_login(student)
    links = [(a.text, a.attrs["href"]) for a in parse(client.get(DASHBOARD).text).find("main").find_all("a")]
    names = [name for name, _ in links]
    assert len(names) == len(set(names)), names
    sessions = reverse("classrooms:sessions", args=[room.pk])
    later = soon + timedelta(days=7)
    assert ("Room Sunflower", room.get_absolute_url()) in links
    assert (f"Room Sunflower , the session of {soon.day} {soon:%B}", f"{sessions}#session-{first.pk}") in links
    assert (f"Room Sunflower , the session of {later.day} {later:%B}", f"{sessions}#session-{second.pk}") in links


def test_student_with_no_classroom_is_told_how_to_join(client):
    client.force_login(StudentFactory())
    page = client.get(DASHBOARD).text
    assert "You are not in a classroom yet" in page
    assert reverse("classrooms:join") in page


def test_teacher_dashboard_shows_classrooms_with_student_counts(client):
    teacher = TeacherFactory()
    ClassroomFactory(
        school=teacher.school, teachers=[teacher], name="Room 4", students=StudentFactory.create_batch(3, school=teacher.school)
    )
    client.force_login(teacher)
    page = client.get(DASHBOARD).text
    assert "Room 4" in page
    assert "3 students" in page


def test_new_teacher_is_told_to_create_a_classroom(client):
    client.force_login(TeacherFactory())
    page = client.get(DASHBOARD).text
    assert "You have no classrooms yet" in page
    assert reverse("classrooms:create") in page


def todo(response) -> list[str]:
    """The teacher's "To do" list, as read aloud."""
    found = [s for s in parse(response.text).find_all("section") if s.attrs.get("aria-labelledby") == "todo-heading"]
    return [li.find("a").text for s in found for li in s.find_all("li")]


def test_teacher_dashboard_says_how_many_sessions_to_mark_as_the_sessions_list_counts_them(client):
    """"Overdue" on the sessions list and "to mark" on the home page are the same sessions."""
    now = timezone.now()
    teacher = TeacherFactory()
    room_a = ClassroomFactory(school=teacher.school, teachers=[teacher], name="Room A")
    room_b = ClassroomFactory(school=teacher.school, teachers=[teacher], name="Room B")
    ClassroomFactory(school=teacher.school, teachers=[teacher], name="Room C")  # nothing to mark
    for days in (30, 2):
        SessionFactory(classroom=room_a, starts_at=now - timedelta(days=days))  # over, never marked
    SessionFactory(classroom=room_a, starts_at=now - timedelta(minutes=30), duration_minutes=45)  # under way
    SessionFactory(classroom=room_a, starts_at=now - timedelta(minutes=50), duration_minutes=45)  # just over
    SessionFactory(classroom=room_a, starts_at=now - timedelta(days=9), status=Session.Status.HELD)
    SessionFactory(classroom=room_a, starts_at=now - timedelta(days=5), status=Session.Status.CANCELLED)
    SessionFactory(classroom=room_a, starts_at=now + timedelta(days=5))
    SessionFactory(classroom=room_b, starts_at=now - timedelta(days=1))
    SessionFactory(classroom=ClassroomFactory(school=teacher.school), starts_at=now - timedelta(days=1))  # a colleague's
    client.force_login(teacher)
    assert todo(client.get(DASHBOARD)) == ["3 sessions to mark in Room A", "1 session to mark in Room B"]
    counts = parse(client.get(reverse("classrooms:sessions", args=[room_a.pk])).text).find("p", id="session-counts")
    assert "3 overdue" in counts.text


def test_a_teacher_with_nothing_to_mark_has_no_to_do_list(client):
    teacher = TeacherFactory()
    room = ClassroomFactory(school=teacher.school, teachers=[teacher])
    SessionFactory(classroom=room, starts_at=timezone.now() - timedelta(days=3), status=Session.Status.HELD)
    client.force_login(teacher)
    response = client.get(DASHBOARD)
    assert todo(response) == []
    assert "To do" not in response.text


def test_counselor_dashboard_lists_the_classrooms_whose_visits_they_lead_and_the_help_queue(client):
    counselor = CounselorFactory()
    ThemeFactory(classroom=ClassroomFactory(school=counselor.school, name="Room Willow"), instructor=counselor)
    ClassroomFactory(school=counselor.school, name="Room Oak")
    client.force_login(counselor)
    response = client.get(DASHBOARD)
    main = parse(response.text).find("main")
    assert [a.text for a in main.find_all("a", class_="stretched-link")] == ["Room Willow"]
    assert "0 open requests at your school." in main.text
    assert reverse("peer_counselors:supervise") in [a.attrs["href"] for a in main.find_all("a")]
    nav = parse(response.text).find("nav", **{"aria-label": "Main"})
    assert [a.attrs["href"] for a in nav.find_all("a") if a.text == "Classrooms"] == [reverse("classrooms:list")]


def test_a_counselor_who_leads_no_visit_is_told_how_a_classroom_comes_to_them(client):
    client.force_login(CounselorFactory())
    assert "You lead no family visits yet." in client.get(DASHBOARD).text


def test_school_admin_sees_their_schools_numbers_only(client):
    school = SchoolFactory(name="Maple")
    admin = SchoolAdminFactory(school=school)
    ClassroomFactory(school=school, name="Maple Room", students=StudentFactory.create_batch(2, school=school))
    ClassroomFactory(name="Other School Room")
    client.force_login(admin)
    response = client.get(DASHBOARD)
    assert "Maple Room" in response.text
    assert "Other School Room" not in response.text
    assert definitions(response.text, class_="stat-tiles") == {"Classrooms": "1", "Teachers": "1", "Students": "2"}


def test_district_admin_sees_each_school_of_the_district(client):
    admin = DistrictAdminFactory()
    maple = SchoolFactory(district=admin.district, name="Maple")
    SchoolFactory(district=admin.district, name="Cedar")
    SchoolFactory(name="Not Ours")
    ClassroomFactory(school=maple, students=StudentFactory.create_batch(4, school=maple))
    client.force_login(admin)
    response = client.get(DASHBOARD)
    assert "Not Ours" not in response.text
    rows, totals = table(response.text, caption="per school")
    by_school = {row["School"]: (row["Classrooms"], row["Teachers"], row["Students"]) for row in rows}
    assert by_school == {"Maple": ("1", "1", "4"), "Cedar": ("0", "0", "0")}
    assert [(t["School"], t["Classrooms"], t["Teachers"], t["Students"]) for t in totals] == [("All schools", "1", "1", "4")]


def test_district_admin_opens_each_schools_fidelity_report_from_its_name(client):
    admin = DistrictAdminFactory()
    maple = SchoolFactory(district=admin.district, name="Maple")
    cedar = SchoolFactory(district=admin.district, name="Cedar")
    ClassroomFactory(school=maple, name="Maple Room")
    ClassroomFactory(school=cedar, name="Cedar Room")
    client.force_login(admin)
    table_rows = parse(client.get(DASHBOARD).text).find("table", class_="school-table").find("tbody")
    links = {a.text: a.attrs["href"] for a in table_rows.find_all("a")}
    assert links == {name: f"{reverse('classrooms:fidelity')}?school={school.pk}" for name, school in (("Maple", maple), ("Cedar", cedar))}
    report = client.get(links["Maple"])
    assert report.status_code == 200
    assert "Maple Room" in report.text and "Cedar Room" not in report.text


def test_unread_count_shows_in_the_navigation(client):
    teacher = TeacherFactory()
    NotificationFactory.create_batch(3, recipient=teacher)
    client.force_login(teacher)
    assert '3<span class="visually-hidden"> unread</span>' in client.get(DASHBOARD).text


def test_a_teachers_home_lists_the_work_to_review_with_what_is_turned_in_and_missing(client):
    """Only assignments with work turned in, the soonest due first, each with its turned-in and missing counts."""
    teacher = TeacherFactory()
    kids = StudentFactory.create_batch(4, school=teacher.school)
    room = ClassroomFactory(school=teacher.school, name="Room Fern", teachers=[teacher], students=kids)
    past, soon = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=3)
    overdue = AssignmentFactory(classroom=room, title="Feelings map", students=kids, due_at=past)
    coming = AssignmentFactory(classroom=room, title="Baby diary", students=kids, due_at=soon)
    AssignmentFactory(classroom=room, title="Nothing in yet", students=kids, due_at=soon)
    other = StudentFactory(school=teacher.school)
    elsewhere = ClassroomFactory(school=teacher.school, students=[other])
    AssignmentFactory(classroom=elsewhere, title="Not mine", students=[other], due_at=past)
    Submission.objects.filter(assignment__title="Not mine").update(state="turned_in", turned_in_at=past)
    Submission.objects.filter(assignment=overdue, student__in=kids[:2]).update(state="turned_in", turned_in_at=past)
    Submission.objects.filter(assignment=overdue, student=kids[2]).update(state="excused")
    Submission.objects.filter(assignment=coming, student__in=kids[:3]).update(state="turned_in", turned_in_at=past)
    client.force_login(teacher)
    section = parse(client.get(DASHBOARD).text).find("section", aria_labelledby="review-heading")
    items = [" ".join(li.text.split()) for li in section.find_all("li")]
    assert items == ["2 turned in: Feelings map (Room Fern) 1 missing", "3 turned in: Baby diary (Room Fern)"]
    assert [a.attrs["href"] for a in section.find_all("a")] == [overdue.get_absolute_url(), coming.get_absolute_url()]


@pytest.mark.parametrize("rows", [1, 12])
def test_dashboard_queries_do_not_grow_with_classrooms(client, django_assert_max_num_queries, rows):
    """A fixed number of queries whether a teacher has one classroom or twelve."""
    teacher = TeacherFactory()
    for _ in range(rows):
        classroom = ClassroomFactory(school=teacher.school, teachers=[teacher], students=StudentFactory.create_batch(2, school=teacher.school))
        SessionFactory(classroom=classroom, starts_at=timezone.now() - timedelta(days=2))  # to mark
    client.force_login(teacher)
    # 8, one for the sessions to mark, one for the work to review, one for the open surveys' reports (none open here)
    with django_assert_max_num_queries(11):
        response = client.get(DASHBOARD)
    assert len(todo(response)) == rows


@pytest.mark.parametrize("schools", [1, 6])
def test_district_dashboard_queries_do_not_grow_with_schools(client, django_assert_max_num_queries, schools):
    admin = DistrictAdminFactory()
    for _ in range(schools):
        ClassroomFactory(school=SchoolFactory(district=admin.district))
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        assert client.get(DASHBOARD).status_code == 200


def test_staff_without_a_school_are_pointed_to_the_admin(client, django_user_model):
    staff = django_user_model.objects.create_superuser("root", "root@example.org", "x-long-password-1")
    client.force_login(staff)
    assert reverse("admin:index") in client.get(DASHBOARD).text
