from django.contrib import admin

from classrooms.models import Classroom, Enrollment, ProgramYear, Session


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
    list_display = ["classroom", "first_month", "last_month", "ordinal", "weekday", "day", "at"]
    list_select_related = ["classroom"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["classroom", "starts_at", "kind", "status", "title"]
    list_filter = ["status", "kind", "classroom__school"]
    list_select_related = ["classroom"]
    date_hierarchy = "starts_at"
