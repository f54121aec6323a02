"""Heard's sign-in backend: Django's ModelBackend, with the user's school loaded with the user.

Every signed-in page reads the school (its time zone, for the time-zone middleware; its name in the navigation
bar), so loading it in the same query as the user saves one query per request. A failed sign-in stops here:
the ModelBackend listed after this one (for sessions signed in before it existed) is never asked to check the
same password again, which would hash it twice.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.models import User


class SchoolModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None and password is not None:
            raise PermissionDenied  # django.contrib.auth.authenticate() tries no further backend
        return user

    def get_user(self, user_id):
        user = User._default_manager.select_related("school").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
