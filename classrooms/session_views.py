"""Placeholder: being written (issue 4)."""

from django.http import Http404


def detail_context(request, classroom, can_manage) -> dict:
    return {}


def program_year_edit(request, *args, **kwargs):
    raise Http404


def session_list(request, *args, **kwargs):
    raise Http404


def session_reschedule(request, *args, **kwargs):
    raise Http404


def session_cancel(request, *args, **kwargs):
    raise Http404


def session_mark_held(request, *args, **kwargs):
    raise Http404


def session_title(request, *args, **kwargs):
    raise Http404
