from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(extra_context={"title": _("Change your password")}),
        name="password_change",
    ),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    # Before Django's own: a new password from the e-mailed link also clears a sign-in lock.
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("locks/", views.sign_in_lock_list, name="sign_in_locks"),
    path("locks/<int:pk>/clear/", views.sign_in_lock_clear, name="sign_in_lock_clear"),
    path("", include("django.contrib.auth.urls")),
]
