from django.contrib import admin

from curriculum.models import (
    Activity,
    Assignment,
    CircleCard,
    CircleTurn,
    DilemmaVote,
    Lesson,
    LiveGroup,
    LiveMember,
    LiveRun,
    Pairing,
    PuzzleAnswer,
    PuzzlePart,
    Restatement,
    SessionPlan,
    Story,
    StoryRead,
    Submission,
    SubmissionEvent,
)


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    # Shipped lessons come from curriculum/lessons/ (a reload rewrites them); a teacher's own lesson is theirs.
    list_display = ("title", "program", "band", "theme", "part", "slug", "owner")
    list_filter = ("program", "band", "part")
    search_fields = ("title", "slug", "theme_title")
    raw_id_fields = ("owner", "school", "copied_from")
    inlines = [ActivityInline]


@admin.register(SessionPlan)
class SessionPlanAdmin(admin.ModelAdmin):
    list_display = ("session", "lesson", "planned_by", "planned_at")
    raw_id_fields = ("session", "lesson", "planned_by")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "classroom", "kind", "due_at", "created_at")
    raw_id_fields = ("classroom", "session", "activity", "created_by")


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    raw_id_fields = ("actor",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("assignment", "student", "state", "turned_in_at")
    list_filter = ("state",)
    raw_id_fields = ("assignment", "student")
    inlines = [SubmissionEventInline]


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ("assignment", "reader", "teller", "shared_at", "rated_at")
    raw_id_fields = ("assignment", "teller", "reader")


# --- Live class practice and the story wall: rows their services write; staff look, and mend by hand ------------


def _related(model) -> tuple[str, ...]:
    """Every foreign key of ``model``, picked by id: a select of every user or run would not load."""
    return tuple(f.name for f in model._meta.get_fields() if f.many_to_one and f.concrete)


class LiveMemberInline(admin.TabularInline):
    model = LiveMember
    extra = 0
    raw_id_fields = ("student", "group")


@admin.register(LiveRun)
class LiveRunAdmin(admin.ModelAdmin):
    list_display = ("title", "classroom", "kind", "state", "started_at", "closed_at")
    list_filter = ("kind", "state")
    raw_id_fields = _related(LiveRun)
    inlines = [LiveMemberInline]


for _model in (LiveGroup, Story, StoryRead, PuzzlePart, PuzzleAnswer, CircleTurn, CircleCard, DilemmaVote, Restatement):
    admin.site.register(_model, type(f"{_model.__name__}Admin", (admin.ModelAdmin,), {"raw_id_fields": _related(_model)}))
