"""Placeholder: being written (issue 4)."""

from django.http import Http404


def detail_context(request, classroom, can_manage) -> dict:
    return {}


def fidelity_report(request, *args, **kwargs):
    raise Http404
