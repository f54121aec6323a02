"""The school admin's list of sign-in locks, and the password reset that also lets its owner in."""

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import services
from accounts.selectors import sign_in_locks


def _school_admin_only(request) -> None:
    if request.user.role != request.user.Role.SCHOOL_ADMIN or not request.user.school_id:
        raise Http404


@login_required
@require_GET
def sign_in_lock_list(request):
    _school_admin_only(request)
    return render(request, "accounts/sign_in_locks.html", {"locked": sign_in_locks(request.user)})


@login_required
@require_POST
def sign_in_lock_clear(request, pk):
    _school_admin_only(request)
    person = next((locked for locked in sign_in_locks(request.user) if locked.pk == pk), None)
    if person is None:
        # Not locked any more (the cool-off ended, a teacher cleared it) or not of this school: say only that.
        messages.info(request, _("That account is not locked now."))
        return redirect("sign_in_locks")
    services.sign_in_unlock(user=person, by=request.user)
    messages.success(request, _("%(name)s can sign in again now.") % {"name": person.display_name})
    return redirect("sign_in_locks")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password chosen from the e-mailed link also clears a lock on the account: the link proved who it is."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.sign_in_unlock(user=self.user, by=self.user)
        return response


def _over_limit(key: str, limit: int) -> bool:
    """Count one more request under ``key`` in the window; whether that makes more than ``limit``."""
    window = int(settings.PASSWORD_RESET_WINDOW.total_seconds())
    cache.add(key, 0, window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr: this is the first of a new window
        cache.set(key, 1, window)
        return False


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per address and per client, so nobody can flood a mailbox or the school.

    The counts do not ask whether the address has an account: a limit hit reads the same for both, and a
    request under the limit gets Django's usual "sent if it exists" page.
    """

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().casefold()
        by_address = "heard:reset:address:" + hashlib.sha256(address.encode()).hexdigest()
        by_client = "heard:reset:client:" + (get_client_ip_address(request=self.request) or "unknown")
        over = _over_limit(by_address, settings.PASSWORD_RESET_LIMIT_PER_ADDRESS)
        over = _over_limit(by_client, settings.PASSWORD_RESET_LIMIT_PER_CLIENT) or over
        if over:
            form.add_error(
                None,
                _(
                    "Too many requests for a new password in the last hour. Look for the e-mails already sent "
                    "(and in the spam folder), or try again in an hour."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
