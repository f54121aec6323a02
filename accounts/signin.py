"""Sign-in: the form children see, and how django-axes counts and answers failures."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardFormMetaclass


def normalize_username(username: str | None) -> str:
    return (username or "").strip().lower()


def axes_username(request, credentials) -> str:
    """Count failures per account, whatever the case or spacing the child typed."""
    if credentials and credentials.get("username") is not None:
        return normalize_username(credentials.get("username"))
    return normalize_username(request.POST.get("username"))


class SignInForm(AuthenticationForm, metaclass=HeardFormMetaclass):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username and password do not match. Check the spelling and try again, "
            "or ask your teacher to reset your password."
        ),
    }

    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocapitalize": "none", "autocomplete": "username"}),
    )


def lockout_response(request, original_response=None, credentials=None):
    """Re-show the sign-in page with what happened and what to do, keeping the username typed."""
    form = SignInForm(request, initial={"username": request.POST.get("username", "")})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": True, "cooloff_minutes": minutes},
        status=429,
    )
