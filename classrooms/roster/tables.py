"""Reading one CSV table of a roster: bytes to text, text to rows, a header to columns, a row to a form's data.

Shared by the simple CSV reader and the OneRoster reader; pure (no database). Cells are text and stay
text: nothing here evaluates a cell, so ``=cmd|...`` is a (strange) name, escaped like any other on the page.
"""

import codecs
import csv
import io
import re
from collections import Counter

from django.utils.translation import gettext as _

from classrooms.roster.types import RosterFileRefused, RowError

MAX_ROWS = 20_000
_SEPARATORS = re.compile(r"[\s_\-]+")


def decode(data: bytes, filename: str) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Windows' cp1252 (said in the preview)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            # A UTF-8 byte-order mark on a file that is not UTF-8 after all reads as "ï»¿" here.
            return data.decode("cp1252").removeprefix("\u00ef\u00bb\u00bf"), "cp1252"
        except UnicodeDecodeError:
            pass
    raise RosterFileRefused(
        _(
            "%(file)s is not in a text encoding Heard can read (UTF-8 or Windows-1252). "
            "Save it again as “CSV UTF-8” and upload that."
        )
        % {"file": filename}
    )


def normalise_header(text: str) -> str:
    return _SEPARATORS.sub("", text.replace("\ufeff", "").casefold())


def read_table(text: str, filename: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (with their spreadsheet row number) of one CSV text."""
    if "\x00" in text[:4096]:
        raise RosterFileRefused(
            _("%(file)s looks like a spreadsheet or other binary file, not CSV. Save it as CSV and upload that.")
            % {"file": filename}
        )
    first_line = text.split("\n", 1)[0]
    # Spreadsheets set to European locales write ";" between cells; "Unicode text" uses tabs.
    delimiter = max(",;\t", key=first_line.count) if any(d in first_line for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise RosterFileRefused(_("%(file)s is empty: the first row should name the columns.") % {"file": filename})
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise RosterFileRefused(
                    _("%(file)s has more than %(max)s rows. Split it (by grade or classroom) and import each part.")
                    % {"file": filename, "max": f"{MAX_ROWS:,}"}
                )
            rows.append((number, cells))
    except csv.Error as error:
        raise RosterFileRefused(
            _(
                "%(file)s could not be read as CSV near row %(row)s (%(error)s). Check its quotes, or save it again as CSV."
            )
            % {"file": filename, "row": reader.line_num, "error": error}
        ) from error
    return [cell.strip() for cell in header], rows


def find_columns(header: list[str], wanted: dict[str, set[str]], filename: str) -> tuple[dict[str, int], list[str]]:
    """Map each wanted field to its column index; everything else is ignored (and listed)."""
    found, ignored = {}, []
    for index, title in enumerate(header):
        key = normalise_header(title)
        names = [name for name, aliases in wanted.items() if key in aliases]
        if not names:
            if title:
                ignored.append(title)
            continue
        if names[0] in found:
            raise RosterFileRefused(
                _("%(file)s has the column “%(column)s” twice; keep one and upload again.")
                % {"file": filename, "column": title}
            )
        found[names[0]] = index
    return found, ignored


def row_data(cells: list[str], columns: dict[str, int]) -> dict[str, str]:
    return {name: cells[index] if index < len(cells) else "" for name, index in columns.items()}


def form_errors(form, filename: str, row: int, header: list[str], columns: dict[str, int]) -> list[RowError]:
    errors = []
    for name, messages in form.errors.items():
        column = header[columns[name]] if name in columns else ("" if name == "__all__" else name)
        errors.extend(RowError(filename, row, column, str(message)) for message in messages)
    return errors


def most_common(grades: Counter) -> int:
    """A new classroom takes its students' most common grade (the lower one on a tie)."""
    return min(grades.items(), key=lambda item: (-item[1], item[0]))[0]
