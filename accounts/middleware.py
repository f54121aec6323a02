import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The session remembers when its user last asked for a page (seconds since the epoch).
LAST_SEEN = "heard_last_seen"
# Responses that may show a child's name or work: never kept by the browser of a shared device.
PRIVATE_TYPES = ("text/html", "text/csv", "application/json")


class SchoolTimeZoneMiddleware:
    """Show times in the signed-in user's school time zone; storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        school = getattr(request.user, "school", None) if request.user.is_authenticated else None
        if school is not None:
            timezone.activate(school.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


def idle_limit(user) -> int:
    """Seconds of no use after which ``user`` is signed out: short for students, who share devices."""
    minutes = settings.IDLE_TIMEOUT_STUDENT_MINUTES if user.is_student else settings.IDLE_TIMEOUT_ADULT_MINUTES
    return minutes * 60


def session_seen_now(sender, request, user, **kwargs):
    """Signing in counts as use (user_logged_in): the first pages after it need not write the session."""
    request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Sign out a session nobody has used for a while, and say why on the sign-in page.

    A student left signed in on a classroom laptop is signed out after 30 minutes without a page, an adult
    after 8 hours (settings IDLE_TIMEOUT_STUDENT_MINUTES, IDLE_TIMEOUT_ADULT_MINUTES). The session's own
    lifetime (SESSION_COOKIE_AGE) still bounds a session in use.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            limit = idle_limit(user)
            if last_seen is not None and now - last_seen > limit:
                return self.sign_out(request, limit)
            if last_seen is None or now - last_seen >= settings.IDLE_TIMEOUT_RESOLUTION_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    def sign_out(self, request, limit: int):
        logout(request)
        minutes = limit // 60
        if minutes % 60 == 0:
            hours = minutes // 60
            wait = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
        else:
            wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        messages.info(
            request,
            _("You were signed out because Heard was not used for %(wait)s. Sign in again to go on.") % {"wait": wait},
        )
        if request.headers.get("HX-Request"):
            # An htmx request would swap the sign-in page into a fragment: the whole page goes to sign-in and
            # comes back to the page the person was on.
            response = HttpResponse(status=204)
            back = request.headers.get("HX-Current-URL") or request.get_full_path()
            response["HX-Redirect"] = redirect_to_login(back)["Location"]
            return response
        if request.method != "GET":
            # A form sent after the timeout is not replayed, and its address may not answer a GET (sign out, cancel
            # a session): after signing in again the person starts from their home page.
            return redirect(settings.LOGIN_URL)
        return redirect_to_login(request.get_full_path())


class PrivateResponseMiddleware:
    """Security headers every answer carries, and no-store on what a signed-in user is shown.

    Back after sign-out on a shared device must not show the last page's names from the browser's cache, so
    a signed-in person's HTML (and CSV and JSON) is never stored. Charts and static files keep their own
    caching: they carry no names in text a stranger reads back from history.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if signed_in and content_type in PRIVATE_TYPES:
            patch_cache_control(response, no_store=True, private=True)
        return response


class NulCharacterInRequest(SuspiciousOperation):
    """A NUL character in a URL or form field: no text of Heard holds one, and PostgreSQL refuses it."""


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL character in its path, query or form fields, before any view runs.

    Django's forms refuse NUL in their own fields, but path converters and query parameters go to the
    database unchecked (a NUL in a calendar token made PostgreSQL raise). Uploaded files are not looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or self._has_nul(request.GET):
            raise NulCharacterInRequest("NUL character in the URL")
        if request.method == "POST" and self._has_nul(request.POST):
            raise NulCharacterInRequest("NUL character in a form field")
        return self.get_response(request)

    @staticmethod
    def _has_nul(query) -> bool:
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
