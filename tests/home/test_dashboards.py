import pytest
from django.urls import reverse

from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    NotificationFactory,
    SchoolAdminFactory,
    SchoolFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.pages import definitions, table

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


def test_counselor_dashboard_explains_the_help_request_queue(client):
    client.force_login(CounselorFactory())
    assert "No help requests are waiting" in client.get(DASHBOARD).text


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


def test_unread_count_shows_in_the_navigation(client):
    teacher = TeacherFactory()
    NotificationFactory.create_batch(3, recipient=teacher)
    client.force_login(teacher)
    assert '3<span class="visually-hidden"> unread</span>' in client.get(DASHBOARD).text


@pytest.mark.parametrize("rows", [1, 12])
def test_dashboard_queries_do_not_grow_with_classrooms(client, django_assert_max_num_queries, rows):
    """A fixed number of queries whether a teacher has one classroom or twelve."""
    teacher = TeacherFactory()
    for _ in range(rows):
        ClassroomFactory(school=teacher.school, teachers=[teacher], students=StudentFactory.create_batch(2, school=teacher.school))
    client.force_login(teacher)
    with django_assert_max_num_queries(8):
        assert client.get(DASHBOARD).status_code == 200


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
