"""Placeholder: being written (issue 4)."""

from django.http import Http404


def detail_context(request, classroom, can_manage) -> dict:
    return {}


def family_create(request, *args, **kwargs):
    raise Http404


def family_edit(request, *args, **kwargs):
    raise Http404


def theme_edit(request, *args, **kwargs):
    raise Http404


def observation_edit(request, *args, **kwargs):
    raise Http404


def baby_chart(request, *args, **kwargs):
    raise Http404
