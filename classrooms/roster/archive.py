"""Unpacking a OneRoster .zip: the files of the binding by their specification names, whatever
folder or letter case the exporting system used, and the names of the files Heard does not read."""

import io
import zipfile
from pathlib import PurePosixPath

from django.utils.translation import gettext as _

from classrooms.roster import spec
from classrooms.roster.forms import MAX_UPLOAD_BYTES
from classrooms.roster.types import RosterFileRefused

_KNOWN_FILES = {name.casefold(): name for name in spec.FILES + spec.OTHER_FILES}


def zip_members(filename: str, data: bytes) -> tuple[dict[str, bytes], list[str]]:
    """The OneRoster files' bytes by their specification name, and the names of the other files."""
    try:
        return _zip_members_read(filename, data)
    except RosterFileRefused:
        raise
    except Exception as error:
        # zipfile reading crafted or damaged bytes raises far more than BadZipFile (ValueError on a
        # negative seek, IndexError on an empty member name, zlib.error...): for an upload, all mean "damaged".
        raise RosterFileRefused(_("%(file)s is damaged; Heard cannot unpack it.") % {"file": filename}) from error


def _zip_members_read(filename: str, data: bytes) -> tuple[dict[str, bytes], list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:  # see zip_members
        raise RosterFileRefused(_("%(file)s is not a .zip file Heard can open.") % {"file": filename}) from error
    with archive:
        infos = [
            info for info in archive.infolist()
            if not info.is_dir() and "__MACOSX" not in info.filename and not PurePosixPath(info.filename).name.startswith(".")
        ]  # fmt: skip
        names = [PurePosixPath(info.filename).name for info in infos]
        if any(name.casefold() == "[content_types].xml" for name in names):
            raise RosterFileRefused(
                _("%(file)s is a spreadsheet (.xlsx), not CSV. Save it as CSV and upload that.") % {"file": filename}
            )
        wanted, ignored = {}, []
        for info, name in zip(infos, names, strict=True):
            known = _KNOWN_FILES.get(name.casefold())
            if known is None or known in spec.OTHER_FILES and known != "manifest.csv":
                ignored.append(name)
                continue
            if known in wanted:
                raise RosterFileRefused(
                    _("%(file)s holds %(name)s twice; keep one and upload again.") % {"file": filename, "name": name}
                )
            wanted[known] = info
        missing = [name for name in spec.NEEDED if name not in wanted]
        if missing:
            raise RosterFileRefused(
                _("A OneRoster .zip must hold users.csv, classes.csv and enrollments.csv; %(file)s has no %(missing)s.")
                % {"file": filename, "missing": ", ".join(missing)}
            )
        contents = {}
        for name, info in wanted.items():
            if info.file_size > MAX_UPLOAD_BYTES:
                raise RosterFileRefused(
                    _("%(name)s is larger than 10 MB. Split the export and import each part.") % {"name": name}
                )
            try:
                with archive.open(info) as member:
                    contents[name] = member.read(MAX_UPLOAD_BYTES + 1)
            except Exception as error:  # see zip_members
                raise RosterFileRefused(
                    _("%(name)s in %(file)s could not be unpacked (damaged or password-protected).")
                    % {"name": name, "file": filename}
                ) from error
            if len(contents[name]) > MAX_UPLOAD_BYTES:
                raise RosterFileRefused(
                    _("%(name)s is larger than 10 MB. Split the export and import each part.") % {"name": name}
                )
    return contents, sorted(ignored)
