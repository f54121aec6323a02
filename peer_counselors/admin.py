"""The peer-counselor tables in Django's admin: read-only lists for staff who look after the service. Nobody
works the queue here; requests change only through the services (and their log)."""

from django.contrib import admin

from peer_counselors.models import (
    CounselorProfile,
    DutyPeriod,
    DutySlot,
    HelpDesk,
    HelpMessage,
    HelpRequest,
    HelpRequestEvent,
)


@admin.register(HelpDesk)
class HelpDeskAdmin(admin.ModelAdmin):
    list_display = ["school", "day_starts", "day_ends", "last_contact_name"]


@admin.register(DutyPeriod)
class DutyPeriodAdmin(admin.ModelAdmin):
    list_display = ["school", "name", "starts", "ends"]


class DutySlotInline(admin.TabularInline):
    model = DutySlot
    extra = 0


@admin.register(CounselorProfile)
class CounselorProfileAdmin(admin.ModelAdmin):
    list_display = ["student", "school", "trained_on", "active"]
    raw_id_fields = ["student"]
    inlines = [DutySlotInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HelpRequestEventInline(admin.TabularInline):
    """The log's kinds and moments (no reason: an adult may have typed a child's name there)."""

    model = HelpRequestEvent
    fields = ["kind", "status", "step", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HelpMessage)
class HelpMessageAdmin(ReadOnlyAdmin):
    # That a message was written and when; never what it says.
    list_display = ["pk", "request", "created_at"]
    fields = ["request", "created_at"]
    readonly_fields = fields


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    # No text and no names: a staff member sees that the queue moves, not what children wrote.
    list_display = ["pk", "school", "topic", "status", "flagged", "created_at"]
    list_filter = ["status", "flagged"]
    fields = ["school", "topic", "status", "flagged", "created_at"]
    readonly_fields = fields
    inlines = [HelpRequestEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
