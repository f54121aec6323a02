"""What the survey pages post, read into what the services take.

The survey form names a rating item's radio buttons ``item-<key>`` and a nomination item's checkboxes
``nominee-<key>``; each nomination item also sends its key in ``nominations``, so that naming nobody (no box
ticked, nothing sent) is told apart from a page that did not show the item. The teacher's grid names each cell
``r-<student pk>-<item key>`` (selectors.grid_field). These are not Django forms: the questions are data, each
answer is checked by the services (which say which answer they refused), and the pages are drawn by hand for
the radio groups, faces and grid they need.
"""

from django.http import QueryDict

RATING_PREFIX = "item-"
NOMINEE_PREFIX = "nominee-"
NOMINATIONS = "nominations"
GRID_PREFIX = "r-"


def posted_answers(data: QueryDict) -> dict:
    """{"ratings": {key: raw}, "nominations": {key: [raw ids]}} of a posted survey page."""
    ratings = {
        name.removeprefix(RATING_PREFIX): data.get(name, "")
        for name in data
        if name.startswith(RATING_PREFIX) and len(name) > len(RATING_PREFIX)
    }
    nominations = {key: data.getlist(f"{NOMINEE_PREFIX}{key}") for key in data.getlist(NOMINATIONS) if key}
    return {"ratings": ratings, "nominations": nominations}


def has_answers(posted: dict) -> bool:
    return bool(posted["ratings"] or posted["nominations"])


def posted_one(data: QueryDict) -> tuple[str, bool, object]:
    """The one answer an autosave sends: (item key, whether it is a nomination item, the value or the ids)."""
    key = data.get("item", "")
    if key in data.getlist(NOMINATIONS):
        return key, True, data.getlist(f"{NOMINEE_PREFIX}{key}")
    return key, False, data.get(f"{RATING_PREFIX}{key}")


def posted_grid(data: QueryDict) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The teacher's grid as ``{student pk: {item key: raw}}`` (for teacher_report_save), and the posted
    values by field name (to draw the grid again as it was typed)."""
    ratings: dict[str, dict[str, str]] = {}
    fields = {}
    for name in data:
        if not name.startswith(GRID_PREFIX):
            continue
        student, _, key = name.removeprefix(GRID_PREFIX).partition("-")
        if not (student and key):
            continue
        value = data.get(name, "")
        ratings.setdefault(student, {})[key] = value
        fields[name] = value
    return ratings, fields
