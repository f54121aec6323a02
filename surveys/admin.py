"""The surveys in Django's admin, for the people who run a Heard server. Answers are not listed: the admin
shows responses and scores by their ids and dates, and a response's answers only on its own page."""

from django.contrib import admin

from surveys.models import (
    AnonymousParticipation,
    Answer,
    Instrument,
    Item,
    Response,
    Score,
    Subscale,
    SurveyCycle,
    SurveyWindow,
)


class SubscaleInline(admin.TabularInline):
    model = Subscale
    extra = 0


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ("key", "subscale", "order", "kind", "reverse")
    raw_id_fields = ("subscale",)


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    # Shipped instruments come from surveys/instruments/shipped/; a school's come from its import.
    list_display = ("slug", "respondent", "grade_min", "grade_max", "school")
    list_filter = ("respondent",)
    search_fields = ("slug",)
    raw_id_fields = ("school", "created_by")
    inlines = [SubscaleInline, ItemInline]


class SurveyWindowInline(admin.TabularInline):
    model = SurveyWindow
    extra = 0
    fields = ("phase", "opens_at", "closes_at")


@admin.register(SurveyCycle)
class SurveyCycleAdmin(admin.ModelAdmin):
    list_display = ("title", "school", "anonymous", "created_at")
    raw_id_fields = ("school", "created_by")
    inlines = [SurveyWindowInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ("item", "nominee")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("pk", "window", "instrument", "classroom", "started_at", "submitted_at")
    raw_id_fields = ("window", "instrument", "classroom", "respondent", "subject")
    inlines = [AnswerInline]


@admin.register(AnonymousParticipation)
class AnonymousParticipationAdmin(admin.ModelAdmin):
    list_display = ("pk", "window", "classroom", "finished")
    raw_id_fields = ("window", "instrument", "student", "classroom", "response")


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ("pk", "window", "phase", "subscale", "classroom")
    raw_id_fields = ("window", "cycle", "instrument", "subscale", "school", "classroom", "student", "response")
