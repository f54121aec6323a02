"""The school admin's list of sign-in locks, and the password reset that also lets its owner in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import services, throttle
from accounts.selectors import sign_in_locks
from accounts.signin import DEVICE_COOKIE, DEVICE_MAX_AGE, DEVICE_SALT, SignInForm, device_cookie_value, device_of


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


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per address and per client, so nobody can flood a mailbox or the school.

    The counts do not ask whether the address has an account: a limit hit reads the same for both, and a
    request under the limit gets Django's usual "sent if it exists" page.
    """

    def form_valid(self, form):
        window = int(settings.PASSWORD_RESET_WINDOW.total_seconds())
        by_address = throttle.key_for("reset-address", form.cleaned_data["email"].strip().casefold())
        by_client = throttle.key_for("reset-client", throttle.client_address(self.request))
        over = throttle.record(by_address, window_seconds=window) > settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        over = throttle.record(by_client, window_seconds=window) > settings.PASSWORD_RESET_LIMIT_PER_CLIENT or over
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


class SignInView(auth_views.LoginView):
    """Django's sign-in, which gives an adult's browser a device cookie (accounts.signin.axes_trusted_device)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if not user.is_student and device_of(self.request, user.username) is None:
            response.set_signed_cookie(
                DEVICE_COOKIE, device_cookie_value(user.username), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE,
                httponly=True, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
            )  # fmt: skip
        return response
