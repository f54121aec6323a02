"""Each kind's answer form gives back, when submitted as the browser sends it, exactly the answer it showed;
drafts are checked for limits only and turn-ins for completeness; typed HTML stays text."""

from html.parser import HTMLParser

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from curriculum.content import INDIVIDUAL_KINDS, content_validate
from curriculum.exercises.answers import (
    ANSWER_TEXT_MAX,
    answer_errors,
    answer_from_post,
    answer_is_blank,
    default_answer,
)

CONTENT = {
    "perspective_writing": {"prompt": "A day in the life of the baby.", "guiding_questions": ["What does she hear?"]},
    "story_exchange": {"prompt": "Tell about a time you helped.", "retell_prompt": "Tell it as your partner."},
    "feelings_guess": {"key_source": "partner", "scenario": "Your partner lost a game.", "why_prompt": "Why?"},
    "situational_attribution": {"behaviour": "Sam did not hand in homework.", "explanations_min": 2, "self_prompt": "If it were you?"},
    "story_inner_state": {
        "title": "The lost mitten",
        "lines": ["Ana lost her mitten.", "She looked in the snow.", "Her friend gave her one."],
        "questions": [
            {"after_line": 1, "asks": "feels", "character": "Ana", "question": "How does Ana feel?"},
            {"after_line": 3, "asks": "thinks", "character": "Ana", "question": "What does Ana think now?"},
        ],
    },
}

ANSWERS = {
    "perspective_writing": {"text": "I wake up. <script>alert(1)</script>\nI smile."},
    "story_exchange": {"story": "My dog & me", "retelling": ""},
    "feelings_guess": {"feelings": ["sad", "frustrated"], "intensity": 4, "why": "He looks down.",
                       "self_feelings": ["proud"], "self_intensity": 2},
    "situational_attribution": {
        "explanations": [{"text": "He forgot", "about": "person"}, {"text": "Power cut", "about": "situation"},
                         {"text": "", "about": ""}, {"text": "", "about": ""}, {"text": "", "about": ""}],
        "self_explanations": [{"text": "I was ill", "about": "situation"}, {"text": "", "about": ""}, {"text": "", "about": ""}],
    },
    "story_inner_state": {"answers": [{"text": "Sad", "line": 1, "feeling": "sad"}, {"text": "Glad", "line": 3, "feeling": ""}]},
}


class FormFields(HTMLParser):
    """What a browser sends for a form: text areas, checked boxes and radios, selected options."""

    def __init__(self):
        super().__init__()
        self.data = QueryDict(mutable=True)
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "input" and a.get("type") in ("checkbox", "radio"):
            if "checked" in a:
                self.data.appendlist(a["name"], a["value"])
        elif tag == "input" and a.get("name"):
            self.data.appendlist(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data.appendlist(self._select, a["value"])

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.data.appendlist(*self._textarea)
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data


def test_every_individual_kind_has_sample_content_that_validates():
    assert set(CONTENT) == {k.value for k in INDIVIDUAL_KINDS}
    for kind, content in CONTENT.items():
        content_validate(kind, content)


@pytest.mark.parametrize("kind", sorted(CONTENT))
def test_the_form_sends_back_the_answer_it_shows(kind):
    html = render_to_string(
        f"curriculum/exercises/{kind}_form.html",
        {"content": CONTENT[kind], "answer": ANSWERS[kind], "language": "en", "partner_story": "Her story"},
    )
    assert "<script>" not in html  # typed HTML is shown as text
    parser = FormFields()
    parser.feed(html)
    assert answer_from_post(kind, CONTENT[kind], parser.data) == ANSWERS[kind]


@pytest.mark.parametrize("kind", sorted(CONTENT))
def test_the_read_only_answer_shows_the_text_escaped(kind):
    html = render_to_string(f"curriculum/exercises/{kind}_answer.html", {"content": CONTENT[kind], "answer": ANSWERS[kind], "language": "es"})
    assert "<script>" not in html


@pytest.mark.parametrize("kind", sorted(CONTENT))
def test_an_empty_answer_may_be_saved_as_a_draft_but_not_turned_in(kind):
    empty = default_answer(kind, CONTENT[kind])
    assert answer_is_blank(kind, empty)
    assert answer_errors(kind, CONTENT[kind], empty, final=False) == []
    assert answer_errors(kind, CONTENT[kind], empty, final=True) != []


def test_an_over_long_answer_is_refused_even_as_a_draft_with_the_limit_named():
    answer = {"text": "x" * (ANSWER_TEXT_MAX + 1)}
    errors = answer_errors("perspective_writing", CONTENT["perspective_writing"], answer, final=False)
    assert len(errors) == 1 and str(ANSWER_TEXT_MAX) in errors[0]


def test_attribution_reasons_must_each_be_tagged_to_turn_in():
    answer = ANSWERS["situational_attribution"] | {"explanations": [{"text": "a", "about": "person"}, {"text": "b", "about": ""}]}
    errors = answer_errors("situational_attribution", CONTENT["situational_attribution"], answer, final=True)
    assert any("about the person" in e for e in errors)
    assert answer_errors("situational_attribution", CONTENT["situational_attribution"], ANSWERS["situational_attribution"], final=True) == []


def test_what_a_browser_cannot_pick_is_dropped_not_an_error():
    data = QueryDict(mutable=True)
    data.setlist("feelings", ["sad", "sad", "evil", ""])
    data["intensity"] = "9"
    answer = answer_from_post("feelings_guess", {"key_source": "author"}, data)
    assert answer == {"feelings": ["sad"], "intensity": None, "why": ""}
