"""Reading an uploaded roster file into plain data: which format it is, which columns count, what is wrong.

Pure: bytes in, a ``Roster`` out, no database. Each row is validated by a row form from ``forms``;
``tables`` decodes and finds the columns, ``simple`` and ``oneroster`` check what spans several rows (a
username given twice with different names, an enrollment in a class the file does not have).
What the school already holds is compared later, in ``selectors.roster_plan``.

Two formats: a OneRoster 1.1 set (a .zip holding users.csv, classes.csv and enrollments.csv) and
a simple CSV with one row per student in a classroom. Cells are text and stay text: nothing here
evaluates a cell, so ``=cmd|...`` is a (strange) name, escaped like any other on the page.
"""

from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from classrooms.roster.forms import MAX_UPLOAD_BYTES
from classrooms.roster.oneroster import read_oneroster_zip
from classrooms.roster.simple import read_simple
from classrooms.roster.tables import decode, normalise_header, read_table
from classrooms.roster.types import Roster, RosterFileRefused


def read_roster(filename: str, data: bytes) -> Roster:
    """Read an uploaded file: a OneRoster .zip or a simple CSV. Raises ``RosterFileRefused``."""
    filename = PurePosixPath(filename.replace("\\", "/")).name or "roster.csv"
    if len(data) > MAX_UPLOAD_BYTES:
        raise RosterFileRefused(_("This file is larger than 10 MB. Split it and import each part."))
    if data.startswith(b"PK\x03\x04") or filename.casefold().endswith(".zip"):
        return read_oneroster_zip(filename, data)
    text, encoding = decode(data, filename)
    header, rows = read_table(text, filename)
    keys = {normalise_header(h) for h in header}
    if "sourcedid" in keys:
        raise RosterFileRefused(
            _(
                "%(file)s looks like one file of a OneRoster export. Upload the whole export as one .zip "
                "holding users.csv, classes.csv and enrollments.csv."
            )
            % {"file": filename}
        )
    return read_simple(filename, encoding, header, rows)
