from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "due_at", "read_at", "email_status", "emailed_at"]
    list_filter = ["kind", "email_status"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]
