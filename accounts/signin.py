"""Sign-in: the form children see, and how django-axes counts and answers failures."""

import ipaddress

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.cache import cache
from django.db.models.functions import Lower
from django.shortcuts import render
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import HeardFormMetaclass
from accounts.models import User


def client_ip_address(request) -> str | None:
    """The address django-axes and the throttles count (AXES_CLIENT_IP_CALLABLE): the one the proxy names in
    CLIENT_IP_HEADER when that is set, otherwise the connection's. A value that is not an address is the proxy's
    mistake, and counts as the connection's, so nothing but an address is ever stored."""
    if settings.CLIENT_IP_HEADER:
        claimed = request.META.get("HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_"), "").strip()
        try:
            return str(ipaddress.ip_address(claimed))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def normalize_username(username: str | None) -> str:
    return (username or "").strip().lower()


def axes_username(request, credentials) -> str:
    """Count failures per account, whatever the case or spacing the child typed."""
    if credentials and credentials.get("username") is not None:
        return normalize_username(credentials.get("username"))
    return normalize_username(request.POST.get("username"))


def is_student_username(username: str, request=None) -> bool:
    """Whether ``username`` (as normalised) names a student's account; one query on the lower(username) index,
    once per request (django-axes asks its rules several times about one sign-in)."""
    known = getattr(request, "_heard_student_usernames", None) if request is not None else None
    if known is not None and username in known:
        return known[username]
    answer = User.objects.alias(lower=Lower("username")).filter(lower=username, role=User.Role.STUDENT).exists()
    if request is not None and hasattr(request, "COOKIES"):  # a request, not a stored AccessAttempt
        request._heard_student_usernames = {**(known or {}), username: answer}
    return answer


def axes_lockout_parameters(request, credentials=None) -> list:
    """What a run of wrong passwords locks (django-axes' AXES_LOCKOUT_PARAMETERS).

    A student: the username alone, since a whole school signs in from one address and a classmate's
    wrong passwords lock only for the short cool-off, which a teacher can clear. An adult, or a name that is
    nobody's: the username *from that address*, so wrong passwords from someone else's device throttle that
    device, never the adult's own sign-in elsewhere; a new password by e-mail clears it at once.
    """
    # axes also asks about a stored AccessAttempt (its cache handler, its admin), which has a username, no POST.
    username = axes_username(request, credentials) if hasattr(request, "POST") else normalize_username(request.username)
    if is_student_username(username, request):
        return ["username"]
    return [["username", "ip_address"]]


# A device an adult has signed in on before carries a signed cookie naming them (OWASP's "device cookie"):
# wrong passwords typed by someone else on the same school network then cannot keep that adult out.
DEVICE_COOKIE = "heard_device"
DEVICE_SALT = "heard.accounts.device"
DEVICE_MAX_AGE = 180 * 24 * 3600
# A device's own wrong passwords, in an hour, after which its cookie stops helping: someone guessing on
# the adult's own laptop is throttled like anyone else.
DEVICE_FAILURE_LIMIT = 10
DEVICE_FAILURE_WINDOW = 3600


def device_cookie_value(username: str) -> str:
    """The value of a new device cookie for ``username``: their name and a random id, signed on setting."""
    return f"{normalize_username(username)}:{get_random_string(16)}"


def device_of(request, username: str) -> str | None:
    """The id of the device cookie ``request`` carries for ``username``, if it carries a valid one."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except (KeyError, signing.BadSignature, AttributeError):
        return None
    owner, _colon, device = value.rpartition(":")
    return device if owner and owner == normalize_username(username) else None


def device_failures_key(device: str) -> str:
    return f"heard:throttle:device:{device}"


def axes_trusted_device(request, credentials=None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: an adult on a device they signed in on before, which has not
    itself typed too many wrong passwords, is neither counted nor held by a lock on the address."""
    if not hasattr(request, "COOKIES"):
        return False
    username = axes_username(request, credentials)
    device = device_of(request, username)
    if device is None or is_student_username(username, request):
        return False
    return cache.get(device_failures_key(device), 0) < DEVICE_FAILURE_LIMIT


def count_device_failure(sender, credentials, request=None, **kwargs):
    """Django's user_login_failed: a wrong password from a trusted device counts against that device."""
    if request is None or not hasattr(request, "COOKIES"):
        return
    device = device_of(request, axes_username(request, credentials))
    if device is not None:
        key = device_failures_key(device)
        cache.add(key, 0, DEVICE_FAILURE_WINDOW)
        cache.incr(key)


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
        # Django's own limit (AuthenticationForm's): a longer name is nobody's, and axes would store it.
        max_length=150,
        error_messages={"max_length": _("No username is that long. Check what you typed.")},
        widget=forms.TextInput(attrs={"autofocus": True, "autocapitalize": "none", "autocomplete": "username"}),
    )


def lockout_response(request, original_response=None, credentials=None):
    """Re-show the sign-in page with what happened and what to do, keeping the username typed."""
    username = (request.POST.get("username") or "")[:150]
    form = SignInForm(request, initial={"username": username})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    locked_out = "student" if is_student_username(normalize_username(username), request) else "adult"
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": locked_out, "cooloff_minutes": minutes},
        status=429,
    )
