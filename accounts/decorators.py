"""View decorators every app's pages share."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse


def login_required_htmx(view):
    """``login_required``, but an htmx request (an autosave) signed out sends the whole page to sign-in and
    back to the page it was on, as the idle timeout does (accounts.middleware): the draft waits in the browser."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            back = request.headers.get("HX-Current-URL") or request.get_full_path()
            response["HX-Redirect"] = redirect_to_login(back)["Location"]
            return response
        return login_required(view)(request, *args, **kwargs)

    return wrapper
