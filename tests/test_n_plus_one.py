"""django-zeal watches every request and every task run of the suite: a query repeated once per row fails."""

import pytest
from celery import shared_task
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from zeal import NPlusOneError

from classrooms.models import Enrollment
from tests.factories import ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db


def roster_names_one_query_each(request):
    """What not to write: each enrollment's student fetched by its own query."""
    return HttpResponse(", ".join(e.student.username for e in Enrollment.objects.all()))


def roster_names_in_one_query(request):
    return HttpResponse(", ".join(e.student.username for e in Enrollment.objects.select_related("student")))


urlpatterns = [
    path("n-plus-one/", roster_names_one_query_each),
    path("one-query/", roster_names_in_one_query),
]


@shared_task
def roster_count_one_query_each() -> int:
    return len([e.student.username for e in Enrollment.objects.all()])


@pytest.fixture
def classroom():
    return ClassroomFactory(students=StudentFactory.create_batch(3))


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_that_reads_a_related_row_per_row_fails_the_test(client, classroom):
    with pytest.raises(NPlusOneError, match="Enrollment.student"):
        client.get("/n-plus-one/")
    assert client.get("/one-query/").status_code == 200


def test_a_task_that_reads_a_related_row_per_row_fails_the_test(classroom):
    with pytest.raises(NPlusOneError, match="Enrollment.student"):
        roster_count_one_query_each()
