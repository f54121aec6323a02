"""A request lists its user's classrooms once (accounts.request_memo, classrooms.permissions._listed), and the list
never outlives a change: a write in the same request, a transaction the request opened, another user."""

import pytest
from django.db import transaction

from accounts import request_memo
from classrooms.models import Classroom
from classrooms.permissions import classroom_manage_scope, classroom_scope
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def seen(user, scope=classroom_scope) -> set[int]:
    return set(Classroom.objects.filter(scope(user)).values_list("pk", flat=True))


def test_a_scope_asked_again_in_a_request_reads_the_list_asked_once(django_assert_num_queries):
    """The second ask lists the classrooms (one query); the third and later ones ask nothing more."""
    teacher = TeacherFactory()
    mine = ClassroomFactory(school=teacher.school, teachers=[teacher])
    with request_memo.opened():
        classroom_scope(teacher)  # the first ask builds the subqueries, as outside a request
        with django_assert_num_queries(1):
            assert classroom_scope(teacher) == classroom_scope(teacher)
        with django_assert_num_queries(2):  # the two reads themselves
            assert seen(teacher) == seen(teacher, classroom_manage_scope) == {mine.pk}


def test_a_write_in_the_request_empties_the_list():
    """A student who joins a classroom in this request finds it in the next scope asked."""
    student = StudentFactory()
    first, second = ClassroomFactory(school=student.school), ClassroomFactory(school=student.school)
    first.enrollments.create(student=student)
    with request_memo.opened():
        classroom_scope(student)
        assert seen(student) == {first.pk}
        second.enrollments.create(student=student)
        classroom_scope(student)
        assert seen(student) == {first.pk, second.pk}


def test_nothing_read_in_a_transaction_the_request_opened_is_kept():
    """A list read inside a transaction that is rolled back is not what the rest of the request sees."""
    student = StudentFactory()
    classroom = ClassroomFactory(school=student.school)
    with request_memo.opened(eager=True):
        try:
            with transaction.atomic():
                classroom.enrollments.create(student=student)
                assert seen(student) == {classroom.pk}
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert seen(student) == set()


def test_a_user_moved_within_the_request_is_listed_anew():
    """The list belongs to the user as the scopes read them: another school is another list."""
    teacher = TeacherFactory()
    ClassroomFactory(school=teacher.school, teachers=[teacher])
    with request_memo.opened(eager=True):
        assert len(seen(teacher)) == 1
        teacher.school = ClassroomFactory().school
        assert seen(teacher) == set()
