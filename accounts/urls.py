from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.signin import SignInForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True), name="login"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(extra_context={"title": _("Change your password")}),
        name="password_change",
    ),
    path("", include("django.contrib.auth.urls")),
]
