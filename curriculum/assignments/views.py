"""Assignments: a placeholder until the assignments part is merged (the lesson library links here)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.template import engines
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from classrooms.selectors import classrooms_managed_by

COMING = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}'
    '{% block content %}<h1 class="h2">{{ title }}</h1><p>{{ text }}</p>'
    '<a class="btn btn-outline-secondary" href="{{ classroom.get_absolute_url }}">{{ back }}</a>{% endblock %}'
)


@login_required
@require_safe
def assignment_create(request, classroom_pk):
    classroom = get_object_or_404(classrooms_managed_by(request.user), pk=classroom_pk)
    context = {
        "classroom": classroom,
        "title": _("Assign an activity"),
        "text": _("Giving work to %(name)s is coming soon.") % {"name": classroom.name},
        "back": _("Back to the classroom"),
    }
    return TemplateResponse(request, COMING, context)
