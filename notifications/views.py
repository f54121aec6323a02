from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.data_versions import kept_page
from notifications.selectors import notifications_for
from notifications.services import notification_mark_read, notifications_mark_all_read


@login_required
@kept_page
def notification_list(request):
    page = Paginator(notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    notification = notification_mark_read(notification=get_object_or_404(notifications_for(request.user), pk=pk))
    if request.htmx:
        return render(request, "notifications/notification_list.html#notification", {"notification": notification})
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()})
    if notification.url and safe and request.POST.get("open"):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    notifications_mark_all_read(recipient=request.user)
    return redirect("notifications:list")
