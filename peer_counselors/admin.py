"""The peer-counselor tables in Django's admin: read-only lists for staff who look after the service. Nobody
works the queue here; requests change only through the services (and their log)."""

from django.contrib import admin

from peer_counselors.models import CounselorProfile, DutyPeriod, HelpDesk, HelpRequest


@admin.register(HelpDesk)
class HelpDeskAdmin(admin.ModelAdmin):
    list_display = ["school", "day_starts", "day_ends", "last_contact_name"]


@admin.register(DutyPeriod)
class DutyPeriodAdmin(admin.ModelAdmin):
    list_display = ["school", "name", "starts", "ends"]


@admin.register(CounselorProfile)
class CounselorProfileAdmin(admin.ModelAdmin):
    list_display = ["student", "school", "trained_on", "active"]
    raw_id_fields = ["student"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    # No text and no names: a staff member sees that the queue moves, not what children wrote.
    list_display = ["pk", "school", "topic", "status", "flagged", "created_at"]
    list_filter = ["status", "flagged"]
    fields = ["school", "topic", "status", "flagged", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
