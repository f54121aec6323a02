"""The forms of a teacher's own activities, one per kind. They parse what was typed; the kind's schema
(``curriculum.content.CONTENT_SCHEMAS``, applied by ``services.activity_fields_check``) decides what the
content may hold, and its refusals are shown beside the field they are about, all at once.

Every activity has a title and instructions; each kind adds its content's fields. A student-facing text
is an English field and a Spanish one (``<name>_es``); a list of them is a textarea, one a line, with a
Spanish textarea of the same lines (or empty).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.baseforms import MAX_LENGTH_MESSAGE, HeardForm
from curriculum import content
from curriculum.content import LINE_MAX, PICTURES, TEXT_MAX, Kind
from curriculum.feelings import FEELINGS, label
from curriculum.library.forms import (
    count_help,
    lines_field,
    lines_of,
    lines_shown,
    schema_errors_add,
    spanish_label,
    text_pair,
    text_value,
)
from curriculum.library.pictures import ALT
from curriculum.library.services import activity_fields_check

QUESTION_ROWS_MAX = 8
ASKS_CHOICES = [("thinks", _("what they think")), ("feels", _("what they feel")), ("wants", _("what they want"))]


class ActivityForm(HeardForm):
    """The fields every activity has; each kind's form adds its content's fields."""

    kind: Kind
    schema: type
    texts: tuple[str, ...] = ()  # content fields that are one Text: <name> and <name>_es
    text_lists: tuple[str, ...] = ()  # content fields that are a list of Text, one a line
    has_picture = True

    activity_title, activity_title_es = text_pair(_("Title"), long=False)
    instructions, instructions_es = text_pair(_("Instructions"), _("What students read first, on their own screen."))
    picture = forms.ChoiceField(
        label=_("Picture (optional)"), required=False,
        choices=[("", _("No picture"))] + [(name, ALT[name]) for name in PICTURES],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.has_picture:
            del self.fields["picture"]
        for name in self.text_lists:
            self.fields[name].help_text = count_help(self.schema, name)

    @classmethod
    def as_typed(cls, data, **kwargs) -> "ActivityForm":
        """An unbound form showing what was typed, without its errors (to add a row of fields, say)."""
        initial = {}
        for name, field in cls(**kwargs).fields.items():
            initial[name] = data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else data.get(name, "")
        return cls(initial=initial, **kwargs)

    def service_error_field(self, key: str) -> str | None:
        """The field of this form a service's error keyed ``key`` belongs to (None: above the form)."""
        return key if key in self.fields else None

    FIRST = ("activity_title", "activity_title_es", "instructions", "instructions_es")

    def first_fields(self) -> list:
        """What every activity has: its title and instructions (the form's first fieldset)."""
        return [self[name] for name in self.FIRST]

    def content_fields(self) -> list:
        """The kind's own fields, in the order the form declares them, the picture last."""
        names = [n for n in self.fields if n not in self.FIRST and n != "picture" and n != "question_rows" and not n.startswith("questions_")]
        if "picture" in self.fields:
            names.append("picture")
        return [self[name] for name in names]

    # What each kind's form fills in, beyond the texts and the picture.
    def extra_content(self, data: dict) -> dict:
        return {}

    @classmethod
    def extra_initial(cls, spec) -> dict:
        return {}

    def content_keys(self) -> set[str]:
        keys = set(self.texts) | set(self.text_lists) | set(self.extra_keys)
        if self.has_picture:
            keys.add("picture")
        return keys

    extra_keys: tuple[str, ...] = ()

    @classmethod
    def initial_for(cls, activity) -> dict:
        spec = content.content_validate(activity.kind, activity.content)
        instructions = content.Text.model_validate(activity.instructions)
        initial = {
            "activity_title": activity.title, "activity_title_es": activity.title_es,
            "instructions": instructions.en, "instructions_es": instructions.es or "",
        }
        for name in cls.texts:
            text = getattr(spec, name)
            initial[name] = text.en if text else ""
            initial[f"{name}_es"] = (text.es or "") if text else ""
        for name in cls.text_lists:
            items = getattr(spec, name)
            initial[name] = lines_shown(t.en for t in items)
            initial[f"{name}_es"] = lines_shown(t.es or "" for t in items) if any(t.es for t in items) else ""
        if cls.has_picture:
            initial["picture"] = spec.picture or ""
        initial.update(cls.extra_initial(spec))
        return initial

    def clean(self):
        """Every refusal at once: a Spanish list that does not match its English, and what the schema refuses."""
        data = super().clean()
        for name in self.text_lists:
            english, spanish = lines_of(data.get(name, "")), lines_of(data.get(f"{name}_es", ""))
            if spanish and len(spanish) != len(english):
                self.add_error(
                    f"{name}_es",
                    _("Write one Spanish line for each English line, in the same order (English has %(en)d, Spanish %(es)d), or leave this empty.")
                    % {"en": len(english), "es": len(spanish)},
                )
        unparsed = set(self.errors)
        try:
            activity_fields_check(kind=self.kind, **self.activity_fields())
        except ValidationError as error:
            schema_errors_add(self, error, skip=unparsed)
        return data

    def activity_fields(self, existing: dict | None = None) -> dict:
        """What the activity services take: the titles, the instructions and the content (keeping what
        the form does not edit, such as a rubric, from ``existing``)."""
        data = self.cleaned_data
        built = {}
        for name in self.texts:
            if data.get(name):
                built[name] = text_value(data[name], data.get(f"{name}_es", ""))
        for name in self.text_lists:
            english, spanish = lines_of(data.get(name, "")), lines_of(data.get(f"{name}_es", ""))
            built[name] = [text_value(en, spanish[i] if i < len(spanish) else "") for i, en in enumerate(english)]
        if self.has_picture and data.get("picture"):
            built["picture"] = data["picture"]
        built.update(self.extra_content(data))
        kept = {key: value for key, value in (existing or {}).items() if key not in self.content_keys()}
        return {
            "title": data.get("activity_title", ""),
            "title_es": data.get("activity_title_es", ""),
            "instructions": text_value(data.get("instructions", ""), data.get("instructions_es", "")),
            "content": {**kept, **built},
        }


def _text_list_pair(label, *, required=True):
    english = lines_field(label, "", required=required, rows=4)
    spanish = lines_field(spanish_label(label), _("One line for each English line, in the same order."), required=False, rows=4)
    return english, spanish


class PerspectiveWritingForm(ActivityForm):
    kind, schema = Kind.PERSPECTIVE_WRITING, content.PerspectiveWritingContent
    texts, text_lists = ("prompt",), ("guiding_questions",)
    prompt, prompt_es = text_pair(_("Prompt"), _("For example: Tell the morning from the baby's side."))
    guiding_questions, guiding_questions_es = _text_list_pair(_("Questions that help"))


class StoryExchangeForm(ActivityForm):
    kind, schema = Kind.STORY_EXCHANGE, content.StoryExchangeContent
    texts, text_lists = ("prompt", "retell_prompt"), ("guiding_questions",)
    prompt, prompt_es = text_pair(_("Prompt for the story"))
    retell_prompt, retell_prompt_es = text_pair(_("Prompt for the retelling"), _("Students retell their partner's story as if it were their own."))
    guiding_questions, guiding_questions_es = _text_list_pair(_("Questions that help"), required=False)


class FeelingsGuessForm(ActivityForm):
    kind, schema = Kind.FEELINGS_GUESS, content.FeelingsGuessContent
    texts = ("scenario", "why_prompt")
    extra_keys = ("key_source", "key")
    key_source = forms.ChoiceField(
        label=_("Whose feelings are the answer"),
        choices=[
            ("author", _("The person in the moment I describe (I give the answer below)")),
            ("baby_visit", _("The baby at the family visit (the observation log gives the answer)")),
            ("partner", _("Each student's partner (they say how they felt)")),
        ],
        widget=forms.RadioSelect,
    )
    scenario, scenario_es = text_pair(_("The moment"))
    why_prompt, why_prompt_es = text_pair(_("Question about the clues"), _("For example: What did you see that told you?"))
    key_feelings = forms.MultipleChoiceField(
        label=_("The feelings (the answer)"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(feeling, label(feeling)) for feeling in FEELINGS],
        help_text=_("Up to 3. Only when you describe the moment yourself."),
    )
    key_intensity = forms.TypedChoiceField(
        label=_("How strong (the answer, optional)"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Not given"))] + [(n, str(n)) for n in range(1, 6)],
    )

    def extra_content(self, data):
        extra = {"key_source": data.get("key_source")}
        if data.get("key_source") == "author" and data.get("key_feelings"):  # none chosen: the schema asks for them
            key = {"feelings": data["key_feelings"]}
            if data.get("key_intensity"):
                key["intensity"] = data["key_intensity"]
            extra["key"] = key
        return extra

    @classmethod
    def extra_initial(cls, spec):
        return {
            "key_source": spec.key_source,
            "key_feelings": list(spec.key.feelings) if spec.key else [],
            "key_intensity": spec.key.intensity if spec.key and spec.key.intensity else "",
        }


class SituationalAttributionForm(ActivityForm):
    kind, schema = Kind.SITUATIONAL_ATTRIBUTION, content.SituationalAttributionContent
    texts = ("behaviour", "self_prompt")
    extra_keys = ("explanations_min",)
    behaviour, behaviour_es = text_pair(_("What someone did"), _("For example: Sam did not say hello this morning."))
    explanations_min = forms.IntegerField(label=_("Explanations each student gives, at least"), initial=3, help_text=_("From 2 to 5."))
    self_prompt, self_prompt_es = text_pair(_("Question about a time it was you"))

    def extra_content(self, data):
        return {"explanations_min": data.get("explanations_min")}

    @classmethod
    def extra_initial(cls, spec):
        return {"explanations_min": spec.explanations_min}


class StoryInnerStateForm(ActivityForm):
    """The story, a line at a time, and its questions as rows: after which line, about whom, asking what."""

    kind, schema = Kind.STORY_INNER_STATE, content.StoryInnerStateContent
    texts, text_lists = ("title",), ("lines",)
    extra_keys = ("questions",)
    title, title_es = text_pair(_("Title of the story"), long=False)
    lines, lines_es = _text_list_pair(_("The story, one sentence a line"))
    question_rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    ROW_FIELDS = ("after_line", "asks", "character", "question", "question_es")

    def __init__(self, *args, rows: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if rows is None:
            try:
                rows = int(self.data.get("question_rows", "")) if self.is_bound else None
            except (TypeError, ValueError):
                rows = None
            if rows is None:
                rows = len([k for k in self.initial if k.startswith("questions_") and k.endswith("_question")]) + 1
            if self.is_bound and "more_questions" in self.data:
                rows += 1
        self.rows = max(1, min(rows, QUESTION_ROWS_MAX))
        self.initial["question_rows"] = self.rows
        self.fields["question_rows"].initial = self.rows
        for n in range(1, self.rows + 1):
            self.fields[f"questions_{n}_after_line"] = forms.IntegerField(label=_("After line"), required=False)
            self.fields[f"questions_{n}_asks"] = forms.ChoiceField(label=_("Asks"), choices=[("", "—"), *ASKS_CHOICES], required=False)
            self.fields[f"questions_{n}_character"] = forms.CharField(label=_("About"), max_length=LINE_MAX, required=False)
            self.fields[f"questions_{n}_question"] = forms.CharField(label=_("Question"), max_length=TEXT_MAX, required=False)
            self.fields[f"questions_{n}_question_es"] = forms.CharField(label=_("Question, in Spanish (optional)"), max_length=TEXT_MAX, required=False)
            for name in self.ROW_FIELDS:
                field = self.fields[f"questions_{n}_{name}"]
                if getattr(field, "max_length", None):
                    field.error_messages["max_length"] = MAX_LENGTH_MESSAGE

    def service_error_field(self, key: str) -> str | None:
        # The service numbers the questions it was given; empty rows were left out of them.
        if key.startswith("questions_"):
            number, _sep, rest = key.removeprefix("questions_").partition("_")
            filled = self._filled_rows()
            if number.isdigit() and 0 < int(number) <= len(filled):
                key = f"questions_{filled[int(number) - 1]}_{rest}"
        elif key == "questions":
            key = "questions_1_question"
        return super().service_error_field(key)

    def _filled_rows(self) -> list[int]:
        data = getattr(self, "cleaned_data", {})
        return [
            n for n in range(1, self.rows + 1)
            if any(data.get(f"questions_{n}_{name}") not in (None, "") for name in self.ROW_FIELDS)
        ]

    @property
    def wants_more_questions(self) -> bool:
        return self.is_bound and "more_questions" in self.data

    def question_rows_shown(self) -> list[dict]:
        """Each row of question fields, for the template: its number and its bound fields."""
        return [{"n": n, **{name: self[f"questions_{n}_{name}"] for name in self.ROW_FIELDS}} for n in range(1, self.rows + 1)]

    def extra_content(self, data):
        questions = []
        for n in self._filled_rows():  # an empty row is not a question
            row = {name: data.get(f"questions_{n}_{name}") for name in self.ROW_FIELDS}
            questions.append({
                "after_line": row["after_line"], "asks": row["asks"] or None, "character": row["character"] or "",
                "question": text_value(row["question"] or "", row["question_es"] or ""),
            })
        return {"questions": questions}

    @classmethod
    def extra_initial(cls, spec):
        initial = {}
        for n, question in enumerate(spec.questions, start=1):
            initial.update({
                f"questions_{n}_after_line": question.after_line, f"questions_{n}_asks": question.asks,
                f"questions_{n}_character": question.character, f"questions_{n}_question": question.question.en,
                f"questions_{n}_question_es": question.question.es or "",
            })
        return initial


class DilemmaForm(ActivityForm):
    kind, schema = Kind.DILEMMA, content.DilemmaContent
    texts, text_lists = ("situation", "reason_prompt"), ("options",)
    situation, situation_es = text_pair(_("The situation"))
    options, options_es = _text_list_pair(_("What someone could do (a corner of the room each)"))
    reason_prompt, reason_prompt_es = text_pair(_("Question about the reasons"))


class ListeningCircleForm(ActivityForm):
    kind, schema = Kind.LISTENING_CIRCLE, content.ListeningCircleContent
    texts, text_lists, has_picture = ("topic",), ("starters",), False
    extra_keys = ("speaker_minutes",)
    topic, topic_es = text_pair(_("Topic"))
    speaker_minutes = forms.IntegerField(label=_("Minutes for each speaker"), initial=4, help_text=_("From 1 to 10."))
    starters, starters_es = _text_list_pair(_("Sentence starters"), required=False)

    def extra_content(self, data):
        return {"speaker_minutes": data.get("speaker_minutes")}

    @classmethod
    def extra_initial(cls, spec):
        return {"speaker_minutes": spec.speaker_minutes}


class NormStoryForm(ActivityForm):
    kind, schema = Kind.NORM_STORY, content.NormStoryContent
    texts, has_picture = ("prompt", "example"), False
    prompt, prompt_es = text_pair(_("Prompt"))
    example, example_es = text_pair(_("An example (optional)"), required=False)


class TeamPuzzleForm(ActivityForm):
    kind, schema = Kind.TEAM_PUZZLE, content.TeamPuzzleContent
    texts, text_lists, has_picture = ("problem", "question"), ("parts",), False
    extra_keys = ("answer_for_teacher",)
    problem, problem_es = text_pair(_("The problem"))
    parts, parts_es = _text_list_pair(_("The clues, one for each member of a team"))
    question, question_es = text_pair(_("The question the team answers"))
    answer_for_teacher = forms.CharField(label=_("The answer (for you only)"), max_length=LINE_MAX)

    def extra_content(self, data):
        return {"answer_for_teacher": data.get("answer_for_teacher", "")}

    @classmethod
    def extra_initial(cls, spec):
        return {"answer_for_teacher": spec.answer_for_teacher}


ACTIVITY_FORMS: dict[Kind, type[ActivityForm]] = {
    form.kind: form
    for form in (
        PerspectiveWritingForm, StoryExchangeForm, FeelingsGuessForm, SituationalAttributionForm, StoryInnerStateForm,
        DilemmaForm, ListeningCircleForm, NormStoryForm, TeamPuzzleForm,
    )
}
