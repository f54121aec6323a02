"""A school admin imports a roster: a preview row by row, then all of it or nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent, User
from classrooms.models import Classroom, Enrollment, StagedRoster
from classrooms.roster import services as roster_services
from classrooms.roster.reader import read_roster
from classrooms.roster.types import RosterFileRefused
from classrooms.school_years import current_school_year
from tests.factories import (
    ClassroomFactory,
    CounselorFactory,
    DistrictAdminFactory,
    EnrollmentFactory,
    SchoolAdminFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "name,username,grade,classroom\n"
    "Maya Rodriguez,maya.r,3,Room 12\n"
    '"Núñez, Zoë",zoe.n,3,Room 12\n'
    "Diego Alvarez,diego.a,K,Sunflowers\n"
)


@pytest.fixture
def admin():
    return SchoolAdminFactory()


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def import_url(step=""):
    return reverse(f"classrooms:roster_import{'_' + step if step else ''}")


def upload(client, content, name="roster.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(import_url(), {"file": SimpleUploadedFile(name, data)})


def confirm(client, preview):
    """Press "Confirm" on a preview page: post back the hidden fields it holds."""
    form = preview.context["confirm_form"]
    assert form is not None, "the preview offers no confirmation"
    return client.post(import_url("confirm"), form.initial)


def oneroster_zip(users, classes, enrollments, extra=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/users.csv", users)
        archive.writestr("export/classes.csv", classes)
        archive.writestr("export/enrollments.csv", enrollments)
        for name, text in (extra or {}).items():
            archive.writestr(f"export/{name}", text)
    return buffer.getvalue()


def students_of(school):
    return User.objects.filter(school=school, role=User.Role.STUDENT)


def simple_csv(n, classroom_size=25):
    rows = (f"Kid{i} Test,kid{i},{i % 9},Room {i // classroom_size}" for i in range(n))
    return "name,username,grade,classroom\n" + "\n".join(rows) + "\n"


# --- The simple CSV --------------------------------------------------------------------------------


def test_a_good_simple_csv_is_previewed_then_created_on_confirm(admin_client, admin):
    """The preview lists what would be created and writes nothing; confirming creates it all, audited."""
    preview = upload(admin_client, GOOD_CSV)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert [s.username for s in plan.new_students] == ["maya.r", "zoe.n", "diego.a"]
    assert sorted(c.name for c in plan.new_classrooms) == ["Room 12", "Sunflowers"]
    assert "Zoë Núñez" in preview.text and "Kindergarten" in preview.text
    assert not students_of(admin.school).exists() and not Classroom.objects.exists()

    done = confirm(admin_client, preview)
    assert done.status_code == 302 and done["Location"] == import_url("done")
    maya = User.objects.get(username="maya.r")
    assert (maya.first_name, maya.last_name, maya.grade, maya.school) == ("Maya", "Rodriguez", 3, admin.school)
    assert not maya.has_usable_password()  # the teacher issues one with the sign-in cards
    room = Classroom.objects.get(name="Room 12")
    assert (room.school, room.school_year, room.grade) == (admin.school, current_school_year(), 3)
    assert set(Enrollment.objects.active().filter(classroom=room).values_list("student__username", flat=True)) == {
        "maya.r",
        "zoe.n",
    }
    assert Classroom.objects.get(name="Sunflowers").grade == 0
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.STUDENT_ACCOUNTS_CREATED, actor=admin).count() == 3

    page = admin_client.get(import_url("done"))
    assert page.status_code == 200
    assert reverse("classrooms:cards", args=[room.pk]) in page.text
    assert reverse("classrooms:detail", args=[room.pk]) in page.text
    assert "maya.r" not in page.text  # no student data, and no passwords, on the summary


def test_first_and_last_name_columns_and_email_as_username(admin_client):
    csv_text = "First Name;Last Name;E-mail;Grade level;Homeroom\nAna;Lee;Ana.Lee@school.example;2nd;Room 4\n"
    confirm(admin_client, upload(admin_client, csv_text))
    ana = User.objects.get(first_name="Ana")
    assert (ana.last_name, ana.username, ana.email, ana.grade) == (
        "Lee",
        "ana.lee@school.example",
        "Ana.Lee@school.example",
        2,
    )


def test_importing_the_same_file_again_changes_nothing(admin_client, admin):
    confirm(admin_client, upload(admin_client, GOOD_CSV))
    before = (User.objects.count(), Classroom.objects.count(), Enrollment.objects.count(), AuditEvent.objects.count())

    again = upload(admin_client, GOOD_CSV.replace("maya.r", "MAYA.R"))  # usernames match ignoring case
    plan = again.context["plan"]
    assert len(plan.unchanged_students) == 3 and not plan.has_changes
    assert again.context["confirm_form"] is None
    assert "there is nothing to import" in again.text
    refused = admin_client.post(import_url("confirm"), {"token": "x", "digest": "y"})
    assert refused.status_code == 302
    assert (
        User.objects.count(),
        Classroom.objects.count(),
        Enrollment.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_a_student_moved_between_classrooms_leaves_the_old_one(admin_client, admin):
    """Their enrollment in the old classroom ends (kept, with left_at); a new one starts; name and grade follow the file."""
    year = current_school_year()
    old_room = ClassroomFactory(school=admin.school, name="Room 1", school_year=year)
    new_room = ClassroomFactory(school=admin.school, name="Room 2", school_year=year)
    last_year = ClassroomFactory(school=admin.school, name="Room 1", school_year=year - 1)
    maya = StudentFactory(school=admin.school, username="maya.r", first_name="Maya", last_name="Rodriguez", grade=3)
    old = Enrollment.objects.create(classroom=old_room, student=maya)
    past = Enrollment.objects.create(classroom=last_year, student=maya)

    preview = upload(admin_client, "name,username,grade,classroom\nMaya Rodríguez,maya.r,4,room 2\n")
    [moved] = preview.context["plan"].updated_students
    assert moved.leaves == ["Room 1"] and moved.joins == ["Room 2"]
    assert "leaves Room 1" in preview.text and "Maya Rodriguez → Maya Rodríguez" in preview.text
    old.refresh_from_db()
    assert old.left_at is None  # not yet

    confirm(admin_client, preview)
    old.refresh_from_db()
    past.refresh_from_db()
    maya.refresh_from_db()
    assert old.left_at is not None
    assert past.left_at is None  # another school year is history, not touched
    assert Enrollment.objects.active().filter(classroom=new_room, student=maya).exists()
    assert Classroom.objects.filter(school=admin.school, school_year=year).count() == 2  # "room 2" is Room 2
    assert (maya.last_name, maya.grade) == ("Rodríguez", 4)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.STUDENT_REMOVED, subject=maya).count() == 1


def test_a_student_who_left_and_comes_back_is_enrolled_again(admin_client, admin):
    room = ClassroomFactory(school=admin.school, name="Room 1", school_year=current_school_year())
    maya = StudentFactory(school=admin.school, username="maya.r", first_name="Maya", last_name="R", grade=3)
    enrollment = EnrollmentFactory(classroom=room, student=maya)
    Enrollment.objects.filter(pk=enrollment.pk).update(left_at="2020-01-01T00:00Z")
    confirm(admin_client, upload(admin_client, "name,username,grade,classroom\nMaya R,maya.r,3,Room 1\n"))
    enrollment.refresh_from_db()
    assert enrollment.left_at is None


# --- Errors ------------------------------------------------------------------------------------------


def test_a_file_with_errors_lists_them_writes_nothing_and_cannot_be_confirmed(admin_client, admin):
    StudentFactory(username="taken.elsewhere")  # another school
    StudentFactory(username="Taken.Elsewhere2")  # the suggestion skips names taken too
    TeacherFactory(school=admin.school, username="ms.rivera")
    csv_text = (
        "name,username,grade,classroom\n"
        "Maya Rodriguez,maya.r,3,Room 12\n"
        "Bad Grade,bad.grade,9,Room 12\n"
        ",no.name,3,Room 12\n"
        "No Login,,3,Room 12\n"
        "Spaces In,user name,3,Room 12\n"
        "Other School,taken.elsewhere,3,Room 12\n"
        "A Teacher,ms.rivera,3,Room 12\n"
        "Maya Again,MAYA.R,3,Room 12\n"
    )
    preview = upload(admin_client, csv_text)
    assert preview.status_code == 200
    errors = {(e.row, e.column) for e in preview.context["plan"].errors}
    assert errors == {
        (3, "grade"),
        (4, "name"),
        (5, "username"),
        (6, "username"),
        (7, "username"),
        (8, "username"),
        (9, "username"),
    }
    assert preview.context["confirm_form"] is None
    assert 'role="alert"' in preview.text and "7 problems in the file" in preview.text
    assert "is not a grade Heard knows" in preview.text
    assert "outside your school" not in preview.text and "staff" not in preview.text
    messages = {e.row: e.message for e in preview.context["plan"].errors}
    # Another school's student and this school's teacher read alike (issue 10: the preview was an oracle
    # for any district's usernames), each with a free name to use instead.
    assert messages[7] == "The username “taken.elsewhere” is not available in Heard. Change it in your file (for example to “taken.elsewhere3”) and upload again."
    assert messages[8] == "The username “ms.rivera” is not available in Heard. Change it in your file (for example to “ms.rivera2”) and upload again."

    refused = admin_client.post(import_url("confirm"), {"token": "güess", "digest": "guess"}, follow=True)
    assert "Nothing was imported" in refused.text
    assert not students_of(admin.school).exists() and not Classroom.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("colour,size\nred,2\n", "x.csv", "Heard does not recognise this file"),
        ("name,grade\nMaya,3\n", "x.csv", "no column for: username (or email); classroom"),
        ("sourcedId,role,username\nu1,student,maya\n", "users.csv", "Upload the whole export as one .zip"),
        ("", "empty.csv", "empty.csv is empty: the first row should name the columns."),
        ("name,name,username,grade,classroom\n", "x.csv", "has the column “name” twice"),
        (b"not a zip at all", "export.zip", "is not a .zip file Heard can open"),
        (b"\x81\x8d\x8f\x90\x9d,\xff\n", "x.csv", "not in a text encoding Heard can read"),
    ],
)
def test_files_heard_cannot_read_are_refused_with_a_reason(admin_client, content, name, message):
    response = upload(admin_client, content, name=name)
    assert response.status_code == 200
    assert message in response.text
    assert 'role="alert"' in response.text
    assert "plan" not in response.context


def zipped(text):
    return oneroster_zip(text, "sourcedId,title\nc1,Room 1\n", "classSourcedId,userSourcedId,role\nc1,u1,student\n")


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=600),
        st.text(max_size=400).map(lambda t: ("name,username,grade,classroom\n" + t).encode()),
        st.text(max_size=400).map(lambda t: zipped("sourcedId,role,username,givenName,grades\n" + t)),
    )
)
def test_no_bytes_break_the_reader_it_refuses_or_reads(data):
    """Whatever is uploaded, the reader answers with a roster or a reason, never an exception (a 500)."""
    try:
        read_roster("upload.csv", data)
    except RosterFileRefused as refusal:
        assert refusal.message


def test_a_zip_without_enrollments_is_refused(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("users.csv", "sourcedId,role\n")
        archive.writestr("classes.csv", "sourcedId,title\n")
    assert "has no enrollments.csv" in upload(admin_client, buffer.getvalue(), name="export.zip").text


def test_files_over_the_limits_are_refused(admin_client):
    too_big = "name,username,grade,classroom\n" + "x" * (10 * 1024 * 1024)
    assert "import at most 10 MB" in upload(admin_client, too_big).text
    too_long = simple_csv(20_001)
    assert "has more than 20,000 rows" in upload(admin_client, too_long).text
    assert not User.objects.filter(role=User.Role.STUDENT).exists()


# --- Encodings and columns ---------------------------------------------------------------------------


def test_a_windows_1252_file_is_read_and_the_preview_says_so(admin_client):
    """Excel on Windows saves "CSV" in cp1252 (latin-1 for these letters): accents survive, and the admin is told."""
    content = "name,username,grade,classroom\nZoë Núñez,zoe.n,3,Señora Ibáñez’s room\n".encode("cp1252")
    preview = upload(admin_client, content)
    assert "Windows-1252" in preview.text
    confirm(admin_client, preview)
    assert User.objects.get(username="zoe.n").get_full_name() == "Zoë Núñez"
    assert Classroom.objects.filter(name="Señora Ibáñez’s room").exists()


def test_a_utf8_file_with_a_byte_order_mark_reads_its_first_column(admin_client):
    content = "\ufeffname,username,grade,classroom\nZoë Núñez,zoe.n,3,Room 1\n".encode()
    preview = upload(admin_client, content)
    assert [s.name for s in preview.context["plan"].new_students] == ["Zoë Núñez"]
    assert "Windows-1252" not in preview.text


def test_extra_columns_are_ignored_and_listed(admin_client):
    csv_text = (
        "Student ID,name,username,grade,classroom,Date of birth,Allergies\n17,Maya R,maya.r,3,Room 1,2017-03-04,nuts\n"
    )
    preview = upload(admin_client, csv_text)
    assert "Columns of roster.csv Heard does not use: Student ID, Date of birth, Allergies" in preview.text
    confirm(admin_client, preview)
    assert User.objects.filter(username="maya.r").exists()


def test_formula_looking_cells_are_plain_text_and_escaped(admin_client):
    """Nothing evaluates a cell: "=cmd|..." is stored as typed and shown escaped."""
    csv_text = (
        "first_name,last_name,username,grade,classroom\n"
        '"=cmd|\' /C calc\'!A0",<script>alert(1)</script>,kid.one,3,"=HYPERLINK(""http://x"",""<b>y</b>"")"\n'
    )
    preview = upload(admin_client, csv_text)
    assert "<script>alert(1)</script>" not in preview.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview.text
    assert "=cmd|&#x27; /C calc&#x27;!A0" in preview.text
    assert "&lt;b&gt;y&lt;/b&gt;" in preview.text
    confirm(admin_client, preview)
    kid = User.objects.get(username="kid.one")
    assert (kid.first_name, kid.last_name) == ("=cmd|' /C calc'!A0", "<script>alert(1)</script>")
    assert Classroom.objects.filter(name='=HYPERLINK("http://x","<b>y</b>")').exists()


# --- OneRoster -----------------------------------------------------------------------------------------

USERS = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,"
    "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\n"
    "u1,,,true,org1,student,maya.r,,Maya,Rodriguez,,,,,,,03,\n"
    "u2,,,true,org1,student,zoe.n,,Zoë,Núñez,,,zoe@school.example,,,,KG,\n"
    "t1,,,true,org1,teacher,ms.rivera,,Ana,Rivera,,,rivera@school.example,,,,,\n"
    "p1,,,true,org1,parent,parent.r,,Pat,Rodriguez,,,,,,u1,,\n"
)
CLASSES = (
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds\n"
    "c1,,,Room 12,03,k1,R12,homeroom,,org1,term1\n"
    "c2,,,Sunflowers,KG,k2,SF,homeroom,,org1,term1\n"
)
ENROLLMENTS = (
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n"
    "e1,,,c1,org1,u1,student,,,\n"
    "e2,,,c2,org1,u2,student,,,\n"
    "e3,,,c1,org1,t1,teacher,true,,\n"
    "e4,,,c2,org1,t1,teacher,false,,\n"
    "e5,,,c1,org1,p1,parent,,,\n"
)


def test_a_oneroster_zip_creates_students_classrooms_and_links_teachers(admin_client, admin):
    rivera = TeacherFactory(school=admin.school, username="Ms.Rivera")
    orgs = f"sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\norg1,,,{admin.school.name},school,,\n"
    export = oneroster_zip(USERS, CLASSES, ENROLLMENTS, extra={"orgs.csv": orgs, "demographics.csv": "sourcedId\n"})
    preview = upload(admin_client, export, name="oneroster.zip")
    plan = preview.context["plan"]
    assert not plan.errors
    assert [s.username for s in plan.new_students] == ["maya.r", "zoe.n"]
    assert [(link.username, link.classroom) for link in plan.new_links] == [
        ("Ms.Rivera", "Room 12"),
        ("Ms.Rivera", "Sunflowers"),
    ]
    assert "Files Heard does not use: demographics.csv" in preview.text
    assert "Role “parent”: Heard imports students and teachers only." in preview.text

    confirm(admin_client, preview)
    room, sunflowers = Classroom.objects.get(name="Room 12"), Classroom.objects.get(name="Sunflowers")
    assert (room.grade, sunflowers.grade) == (3, 0)
    assert list(room.teachers.all()) == [rivera] and list(sunflowers.teachers.all()) == [rivera]
    zoe = User.objects.get(username="zoe.n")
    assert (zoe.first_name, zoe.email, zoe.grade) == ("Zoë", "zoe@school.example", 0)
    assert Enrollment.objects.active().filter(classroom=sunflowers, student=zoe).exists()
    assert not User.objects.filter(username="parent.r").exists()

    again = upload(admin_client, export, name="oneroster.zip")
    assert not again.context["plan"].has_changes
    assert len(again.context["plan"].unchanged_links) == 2


def test_a_oneroster_zip_with_broken_references_lists_each(admin_client, admin):
    enrollments = ENROLLMENTS + "e6,,,c9,org1,u1,student,,,\ne7,,,c1,org1,u9,student,,,\ne8,,,c1,org1,u1,teacher,,,\n"
    preview = upload(admin_client, oneroster_zip(USERS, CLASSES, enrollments), name="oneroster.zip")
    errors = {(e.file, e.row, e.column) for e in preview.context["plan"].errors}
    assert errors == {
        ("enrollments.csv", 4, "userSourcedId"),  # ms.rivera has no account at this school
        ("enrollments.csv", 5, "userSourcedId"),
        ("enrollments.csv", 7, "classSourcedId"),
        ("enrollments.csv", 8, "userSourcedId"),
        ("users.csv", 2, "role"),  # Maya is a student in users.csv and a teacher in e8: said once, on her row
    }
    assert "Maya Rodriguez (maya.r, u1) is a student in users.csv but a teacher in 1 enrollment." in preview.text
    assert "Your school has no teacher with the username “ms.rivera”" in preview.text
    assert preview.context["confirm_form"] is None


# --- Confirmation ----------------------------------------------------------------------------------------


def test_a_confirmation_after_the_school_changed_writes_nothing_and_shows_the_new_preview(admin_client, admin):
    preview = upload(admin_client, GOOD_CSV)
    StudentFactory(school=admin.school, username="zoe.n", first_name="Zoë", last_name="Other", grade=3)
    again = confirm(admin_client, preview)
    assert again.status_code == 409
    assert "changed since the preview" in again.text
    assert not User.objects.filter(username="maya.r").exists()
    assert [s.username for s in again.context["plan"].updated_students] == ["zoe.n"]
    confirm(admin_client, again)  # the new preview can be confirmed
    assert User.objects.filter(username="maya.r").exists()


def test_when_the_database_refuses_a_row_nothing_is_written_and_the_admin_is_told(admin_client, monkeypatch):
    """All or nothing: a failure after the accounts were inserted rolls them back too."""

    def refuse(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    preview = upload(admin_client, GOOD_CSV)
    monkeypatch.setattr(roster_services.TeacherLinkModel.objects, "bulk_create", refuse)
    response = confirm(admin_client, preview)
    assert response.status_code == 409
    assert "Nothing was imported: the database refused one of the changes" in response.text
    assert not User.objects.filter(role=User.Role.STUDENT).exists() and not Classroom.objects.exists()
    assert not Enrollment.objects.exists() and not AuditEvent.objects.exists()
    monkeypatch.undo()
    confirm(admin_client, response)  # the preview shown again can be confirmed
    assert User.objects.filter(role=User.Role.STUDENT).count() == 3


def test_confirming_twice_imports_once(admin_client):
    preview = upload(admin_client, GOOD_CSV)
    confirm(admin_client, preview)
    second = confirm(admin_client, preview)
    assert second.status_code == 302 and second["Location"] == import_url()
    assert User.objects.filter(role=User.Role.STUDENT).count() == 3


def test_a_5000_row_file_previews_and_imports(admin_client, admin):
    preview = upload(admin_client, simple_csv(5000))
    plan = preview.context["plan"]
    assert (len(plan.new_students), len(plan.new_classrooms), len(plan.errors)) == (5000, 200, 0)
    assert "…and 4000 more rows, not shown here." in preview.text  # the page stays light; the counts are whole
    confirm(admin_client, preview)
    assert students_of(admin.school).count() == 5000
    assert Enrollment.objects.active().filter(classroom__school=admin.school).count() == 5000
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.STUDENT_ACCOUNTS_CREATED).count() == 5000


@pytest.mark.parametrize("rows", [10, 1000])
def test_confirming_costs_bulk_queries_not_one_per_row(admin_client, admin, rows, django_assert_max_num_queries):
    preview = upload(admin_client, simple_csv(rows))
    # Session, user, school lock, four reads of the school, join codes, then inserts in batches:
    # SQLite takes 999 parameters a statement (1,000 accounts are 15 INSERTs, and their 1,000 audit events,
    # with the object id and count columns the survey export added, a few more), PostgreSQL one each.
    with django_assert_max_num_queries(47):
        response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert students_of(admin.school).count() == rows


# --- Who may import --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", [TeacherFactory, StudentFactory, CounselorFactory, DistrictAdminFactory], ids=lambda f: f.__name__
)
def test_only_a_school_admin_may_import(client, persona):
    client.force_login(persona())
    assert client.get(import_url()).status_code == 404
    assert upload(client, GOOD_CSV).status_code == 404
    assert client.post(import_url("confirm"), {"token": "t", "digest": "d"}).status_code == 404
    assert client.get(import_url("confirm")).status_code == 404
    assert client.get(import_url("done")).status_code == 404
    assert not User.objects.filter(username="maya.r").exists()


def test_a_staged_import_cannot_be_confirmed_by_an_admin_of_another_school(client, admin):
    client.force_login(admin)
    preview = upload(client, GOOD_CSV)
    session_key = client.cookies["sessionid"].value
    other = SchoolAdminFactory()
    client.force_login(other)  # a new session: the staged import is not in it
    assert client.cookies["sessionid"].value != session_key
    response = client.post(import_url("confirm"), preview.context["confirm_form"].initial)
    assert response.status_code == 302
    assert not User.objects.filter(username="maya.r").exists()


def test_the_upload_page_explains_both_formats(admin_client):
    page = admin_client.get(import_url())
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    assert "enrollments.csv" in page.text and "first_name" in page.text


# --- Staged server-side (issue 10, point 13) ---------------------------------------------------------------


def session_bytes(client) -> int:
    from django.contrib.sessions.models import Session as SessionRow

    return len(SessionRow.objects.get(session_key=client.session.session_key).session_data)


def test_a_big_preview_is_staged_in_a_table_and_the_session_stays_small(admin_client, admin):
    """A 3,000-row preview made the session 20 times larger before; now the session holds only a token."""
    before = session_bytes(admin_client)
    preview = upload(admin_client, simple_csv(3000))
    assert preview.status_code == 200 and preview.context["confirm_form"] is not None
    assert session_bytes(admin_client) - before < 200
    staged = StagedRoster.objects.get(user=admin)
    assert len(staged.data["roster"]["students"]) == 3000
    assert confirm(admin_client, preview).status_code == 302
    assert students_of(admin.school).count() == 3000
    assert not StagedRoster.objects.exists(), "a confirmed preview is dropped"


def test_a_new_upload_replaces_the_admins_staged_preview_and_another_admin_cannot_confirm_it(client, admin):
    client.force_login(admin)
    first = upload(client, simple_csv(3))
    upload(client, simple_csv(4))
    assert StagedRoster.objects.filter(user=admin).count() == 1
    assert confirm(client, first).status_code == 302
    assert students_of(admin.school).count() == 0, "the replaced preview is not written"
    second = upload(client, simple_csv(5))
    colleague = SchoolAdminFactory(school=admin.school)
    client.force_login(colleague)
    client.post(import_url("confirm"), second.context["confirm_form"].initial)
    assert students_of(admin.school).count() == 0, "a token staged by someone else confirms nothing"
