from django.contrib import admin

from accounts.admin import SchoolAdmin, UserAdmin
from accounts.models import School, User
from classrooms.models import (
    BabyObservation,
    Classroom,
    Enrollment,
    ProgramYear,
    Session,
    SessionAttendance,
    StagedRoster,
    Theme,
    VisitingFamily,
)
from classrooms.program.services import (
    classroom_sessions_recount,
    school_time_zone_set,
    session_registers_recount,
    users_delete,
)
from classrooms.services import person_school_moved

# accounts cannot know about sessions (it is below classrooms), so the School admin is extended here:
# a school whose time zone changes moves its future sessions to the same local time.
admin.site.unregister(School)


@admin.register(School)
class SchoolWithSessionsAdmin(SchoolAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "time_zone" in form.changed_data:
            school_time_zone_set(school=obj, time_zone=obj.time_zone)


admin.site.unregister(User)


@admin.register(User)
class UserWithClassroomsAdmin(UserAdmin):
    """A person moved to another school leaves its classrooms behind (classrooms.services.person_school_moved)."""

    def save_model(self, request, obj, form, change):
        old_school_id = form.initial.get("school") if change else obj.school_id
        super().save_model(request, obj, form, change)
        if change and "school" in form.changed_data:
            person_school_moved(person=obj, old_school_id=old_school_id, by=request.user)

    # A deleted student's register lines go with the account: their sessions are counted again.
    def delete_model(self, request, obj):
        users_delete(users=User.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        users_delete(users=queryset)


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["student"]


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "grade", "school_year", "join_code", "join_code_expires_at"]
    list_filter = ["school", "grade", "school_year"]
    search_fields = ["name", "join_code"]
    filter_horizontal = ["teachers"]
    inlines = [EnrollmentInline]
    list_select_related = ["school"]


@admin.register(ProgramYear)
class ProgramYearAdmin(admin.ModelAdmin):
    list_display = ["classroom", "format", "first_month", "last_month", "ordinal", "weekday", "day", "at"]
    list_select_related = ["classroom"]


class SessionAttendanceInline(admin.TabularInline):
    model = SessionAttendance
    extra = 0
    raw_id_fields = ["student"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["classroom", "starts_at", "kind", "status", "title", "theme"]
    raw_id_fields = ["theme"]
    inlines = [SessionAttendanceInline]
    list_filter = ["status", "kind", "classroom__school"]
    list_select_related = ["classroom"]
    date_hierarchy = "starts_at"
    readonly_fields = ["register_count", "present_count"]

    def save_model(self, request, obj, form, change):
        """A session moved to another classroom leaves its counts behind: the classroom it left is counted again."""
        left = Session.objects.filter(pk=obj.pk).values_list("classroom_id", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if left is not None and left != obj.classroom_id:
            classroom_sessions_recount(classroom_ids=[left])

    def save_related(self, request, form, formsets, change):
        """The register's rows edited inline: the session's counts follow, and its classroom's
        (classrooms.program.services)."""
        super().save_related(request, form, formsets, change)
        session_registers_recount(sessions=Session.objects.filter(pk=form.instance.pk))

    def delete_model(self, request, obj):
        classroom_id = obj.classroom_id
        super().delete_model(request, obj)
        classroom_sessions_recount(classroom_ids=[classroom_id])

    def delete_queryset(self, request, queryset):
        classroom_ids = set(queryset.values_list("classroom_id", flat=True))
        super().delete_queryset(request, queryset)
        classroom_sessions_recount(classroom_ids=classroom_ids)


@admin.register(VisitingFamily)
class VisitingFamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "classroom", "baby_name", "baby_born_on", "contact_email", "contact_phone"]
    search_fields = ["name", "contact_email", "contact_phone"]
    list_select_related = ["classroom"]
    raw_id_fields = ["classroom"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["classroom", "number", "title", "family", "instructor"]
    list_select_related = ["classroom", "family", "instructor"]
    raw_id_fields = ["classroom", "family", "instructor"]


@admin.register(BabyObservation)
class BabyObservationAdmin(admin.ModelAdmin):
    list_display = ["session", "weight_kg", "length_cm", "updated_at"]
    list_select_related = ["session__classroom"]
    raw_id_fields = ["session", "recorded_by"]


@admin.register(StagedRoster)
class StagedRosterAdmin(admin.ModelAdmin):
    """Previews waiting to be confirmed: who staged which file when. Staff may drop one; nobody edits the data."""

    list_display = ["created_at", "user", "school"]
    list_select_related = ["user", "school"]
    exclude = ["data"]
    readonly_fields = ["token", "user", "school", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
