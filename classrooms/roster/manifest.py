"""Reading a OneRoster set's manifest.csv: which version it is and which files it says it holds.

A version other than OneRoster 1.1 is refused (its columns mean other things); a key the
specification does not have (a typo) and a file declared present but missing are warnings.
"""

import difflib

from django.utils.translation import gettext as _

from classrooms.roster import spec
from classrooms.roster.tables import decode, read_table
from classrooms.roster.types import Roster, RosterFileRefused, RowError

NAME = "manifest.csv"


def read_manifest(roster: Roster, data: bytes | None, *, present: set[str]) -> None:
    if data is None:
        roster.warnings.append(
            RowError(NAME, 0, "", _("The .zip has no manifest.csv, which OneRoster 1.1 requires; Heard read the files it found."))
        )  # fmt: skip
        return
    text, roster.encodings[NAME] = decode(data, NAME)
    header, rows = read_table(text, NAME)
    if [h.casefold() for h in header[:2]] != ["propertyname", "value"]:
        roster.errors.append(
            RowError(NAME, 1, ", ".join(header[:2]),
                     _("manifest.csv must have the columns “propertyName” and “value”; it has “%(found)s”.")
                     % {"found": ", ".join(header)[:100]})
        )  # fmt: skip
        return
    values: dict[str, tuple[int, str]] = {}
    for number, cells in rows:
        key = cells[0].strip()
        value = cells[1].strip() if len(cells) > 1 else ""
        if key not in spec.MANIFEST_KEYS:
            close = difflib.get_close_matches(key, sorted(spec.MANIFEST_KEYS), n=1, cutoff=0.75)
            message = (
                _("“%(key)s” is not a key of the OneRoster 1.1 manifest; did you mean “%(close)s”?")
                % {"key": key[:60], "close": close[0]}
                if close
                else _("“%(key)s” is not a key of the OneRoster 1.1 manifest.") % {"key": key[:60]}
            )
            roster.warnings.append(RowError(NAME, number, "propertyName", message))
            continue
        values[key] = (number, value)
    for key, wanted in (("oneroster.version", spec.VERSION), ("manifest.version", spec.MANIFEST_VERSION)):
        found = values.get(key, (0, ""))[1]
        if found != wanted:
            raise RosterFileRefused(
                _(
                    "manifest.csv gives %(key)s as “%(found)s”; Heard reads OneRoster 1.1 sets (%(key)s %(wanted)s). "
                    "Export the set again as OneRoster 1.1."
                )
                % {"key": key, "found": found[:20], "wanted": wanted}
            )
    for key, file in spec.MANIFEST_FILE_KEYS.items():
        number, mode = values.get(key, (0, "absent"))
        mode = mode.casefold()
        if mode not in spec.MANIFEST_MODES:
            roster.warnings.append(
                RowError(NAME, number, "value",
                         _("%(key)s is “%(mode)s”; OneRoster 1.1 allows absent, bulk or delta.") % {"key": key, "mode": mode[:20]})
            )  # fmt: skip
        elif mode != "absent" and file not in present:
            roster.warnings.append(
                RowError(NAME, number, "value",
                         _("manifest.csv declares %(file)s (%(mode)s), but the .zip has no %(file)s.") % {"file": file, "mode": mode})
            )  # fmt: skip
        elif mode == "absent" and file in present:
            roster.warnings.append(
                RowError(NAME, number, "value",
                         _("manifest.csv declares %(file)s absent, but the .zip holds one; Heard read it.") % {"file": file})
            )  # fmt: skip
        elif mode == "delta" and file in spec.FILES:
            roster.warnings.append(
                RowError(NAME, number, "value",
                         _("%(file)s is a delta file; Heard reads it as the whole list (bulk).") % {"file": file})
            )  # fmt: skip
