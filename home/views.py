from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accounts.data_versions import kept_page
from home import dashboards


@login_required
@kept_page
def dashboard(request):
    user = request.user
    build = dashboards.BY_ROLE.get(user.role)
    if build is None or (user.is_staff and user.school_id is None and user.district_id is None):
        return render(request, "home/staff.html")
    return render(request, f"home/{user.role}.html", build(user))


@never_cache
def healthz(request):
    """For container health checks: the app answers and its database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
