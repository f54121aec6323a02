from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, District, School, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "time_zone"]
    list_filter = ["district"]
    search_fields = ["name"]
    # classrooms.admin extends this admin: a change of time zone moves the school's future sessions.


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "school", "is_active"]
    list_filter = ["role", "school", "is_active", "is_staff"]
    list_select_related = ["school"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Heard"), {"fields": ("role", "school", "district", "grade")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Heard"), {"fields": ("role", "school", "district", "grade")}),)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit trail that staff could edit would prove nothing."""

    list_display = ["created_at", "kind", "actor", "subject", "school", "object_id", "count"]
    list_filter = ["kind", "school"]
    list_select_related = ["actor", "subject", "school"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
