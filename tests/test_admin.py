"""Staff manage everything in the Django admin: every Heard model's list and add pages open."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# Heard's own apps are the top-level folders of this repository; a new app is covered without a list to edit.
HEARD_APPS = {config.label for config in apps.get_app_configs() if Path(config.path).parent == ROOT}


def test_every_heard_model_is_in_the_admin_and_its_pages_open(client, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-staff-password-1")
    client.force_login(staff)
    models = [m for m in admin.site._registry if m._meta.app_label in HEARD_APPS]
    inlined = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    unregistered = [
        m._meta.label for m in apps.get_models() if m._meta.app_label in HEARD_APPS and m not in models and m not in inlined
    ]
    assert unregistered == [], "every Heard model has an admin page (or is edited inline on one)"
    assert {m._meta.model_name for m in models} >= {
        "user", "school", "district", "auditevent", "classroom", "programyear", "session", "notification",
        "visitingfamily", "theme", "babyobservation",
    }
    for model in models:
        info = (model._meta.app_label, model._meta.model_name)
        assert client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist")).status_code == 200, info
        add = client.get(reverse(f"admin:{info[0]}_{info[1]}_add"))
        # Rows only their services write (an audit trail, a staged roster, a child's help request and its messages)
        read_only = {"auditevent", "stagedroster", "helprequest", "helpmessage"}
        assert add.status_code == (403 if model._meta.model_name in read_only else 200), info
