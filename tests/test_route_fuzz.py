"""No URL answers 500, whatever is in its path or query (issue 10: the 500s were in path converters and URL
parameters, where the form fuzz of tests/test_bad_input.py never looked).

Every route of Heard (found in the resolver, so a new app's are fuzzed without anyone adding them) is asked by
GET and POST, as a signed-in person of each kind, with hypothesis' choice of values in each path converter and
in the query parameters the views read, from real object ids to 5,000-digit numbers, NUL, far dates and markup.
It runs on whatever database the suite runs on: PostgreSQL in CI, which is where NUL and overflow differ.
"""

from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_csrf import our_url_names

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00", "a\x00b", "0", "-1", "9" * 19, "9" * 4301, "1" * 5000, "9999-12-31", "0001-01-01", "2027-03-14",
    "12/25/2026", "31/12/2026", "2027-11-07T01:30", "%", "%%", "../../etc/passwd", "<script>alert(1)</script>",
    "' OR 1=1 --", "\ufeff", "\ud7ff", "x" * 20_000, "", " ", "true", "[]", "{}", "1e309", "NaN",
]
text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
# Query parameters any of Heard's views reads (reports' filters, pages, tabs, the sign-in page's next).
PARAMETERS = [
    "year", "school", "page", "tab", "next", "classroom", "format", "kind", "date", "q", "sort", "status", "activity", "session",
    "grade", "subscale", "respondent", "instrument", "print",
]
INT_PLACEHOLDER, STR_PLACEHOLDER = 7_654_321, "zzplaceholderzz"
PERSONAS = ["student", "teacher", "counselor", "school_admin", "district_admin", "visit_instructor"]
ROUTES = sorted(dict(our_url_names()).items())


def path_with(name: str, converters, values: dict) -> str:
    """The path of ``name`` with ``values`` (raw text) in its converters, past reverse()'s own checks."""
    kwargs, swaps = {}, []
    for n, (key, converter) in enumerate(sorted(converters.items())):
        if type(converter).__name__ == "IntConverter":
            kwargs[key] = INT_PLACEHOLDER + n
            digits = "".join(ch for ch in values[key] if ch.isdigit()) or "0"  # the int converter takes digits only
            swaps.append((str(INT_PLACEHOLDER + n), digits))
        else:
            kwargs[key] = f"{STR_PLACEHOLDER}{n}"
            swaps.append((f"{STR_PLACEHOLDER}{n}", quote(values[key].replace("/", ""), safe="") or "x"))
    path = reverse(name, kwargs=kwargs)
    for placeholder, value in swaps:
        path = path.replace(placeholder, value)
    return path


@pytest.mark.parametrize(("name", "converters"), ROUTES, ids=[name for name, _c in ROUTES])
def test_no_path_or_query_value_makes_a_500(name, converters, access_world):
    ids = sorted({room.classroom.pk for room in access_world.rooms.values()} | {1, 2, 3})

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        persona=st.sampled_from(PERSONAS),
        values=st.fixed_dictionaries({key: st.one_of(text, st.sampled_from([str(i) for i in ids])) for key in converters}),
        query=st.dictionaries(st.sampled_from(PARAMETERS), text, max_size=3),
        method=st.sampled_from(["get", "post"]),
    )
    def ask(persona, values, query, method):
        client = Client(raise_request_exception=True)
        client.force_login(access_world.people[persona])
        path = path_with(name, converters, values)
        with transaction.atomic():
            response = getattr(client, method)(path, query)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{method.upper()} {path!r} {query!r} as {persona}: {response.status_code}"

    ask()
