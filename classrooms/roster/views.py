"""A school admin imports a roster: upload, preview, confirm.

Staging: an upload whose file has no errors is kept in the admin's session as the checked, plain data the
file said (``Roster.to_data()``, no ignored columns, compressed by the session store), with a
random token and the digest of the preview. The preview form renames new classrooms: "Update the
preview" plans again with the names typed (kept on the page, checked there); confirming plans again against the database inside
the write's transaction and writes only if the plan still has that digest. The session is in the
database, so this works across web processes and leaves no uploaded file on a disk to clean up.
"""

import logging
import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from classrooms.permissions import can_import_roster
from classrooms.roster import services
from classrooms.roster.forms import RosterConfirmForm, RosterUploadForm
from classrooms.roster.reader import read_roster
from classrooms.roster.selectors import roster_plan
from classrooms.roster.types import (
    ONEROSTER,
    Roster,
    RosterFileRefused,
    RosterImportFailed,
    RosterPlan,
    RosterPlanChanged,
)
from classrooms.school_years import current_school_year

logger = logging.getLogger(__name__)

STAGED = "roster_import"
DONE = "roster_import_done"
PREVIEW_LIMIT = 1000  # rows shown per list; counts are always complete


def school_admin_only(view):
    """Only a school's admin imports, and only into their school; anyone else finds nothing here."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_import_roster(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _titles(request, roster: Roster) -> dict[int, str]:
    """The new classrooms' names as typed on the preview (fields ``title-<index in roster.classrooms>``)."""
    titles = {}
    for index in range(len(roster.classrooms)):
        value = request.POST.get(f"title-{index}")
        if value is not None:
            titles[index] = value[:200]
    return titles


def _preview(request, plan: RosterPlan, *, filename: str, notice: str = "", status: int = 200):
    staged_form = None
    if not plan.roster.errors:
        # The file itself is sound: kept, so that the admin may rename classrooms and confirm.
        token, digest = secrets.token_urlsafe(16), plan.digest
        request.session[STAGED] = {
            "token": token,
            "digest": digest,
            "school_id": request.user.school_id,
            "school_year": plan.school_year,
            "filename": filename,
            "roster": plan.roster.to_data(),
        }
        staged_form = RosterConfirmForm(initial={"token": token, "digest": digest})
    else:
        request.session.pop(STAGED, None)
    lists = {
        "errors": plan.errors,
        "warnings": plan.warnings,
        "other_school": plan.other_school,
        "enrolled_nowhere": plan.enrolled_nowhere,
        "new_students": plan.new_students,
        "updated_students": plan.updated_students,
        "unchanged_students": plan.unchanged_students,
        "new_classrooms": plan.new_classrooms,
        "new_links": plan.new_links,
        "ignored_rows": plan.roster.ignored_rows,
    }
    context = {
        "plan": plan,
        "roster": plan.roster,
        "filename": filename,
        "is_oneroster": plan.roster.format == ONEROSTER,
        "school_org_name": dict(plan.roster.schools).get(plan.school_org) or plan.school_org,
        "confirm_form": staged_form if plan.can_confirm else None,
        "staged_form": staged_form,
        "problems_by_file": _by_file(lists["errors"][:PREVIEW_LIMIT]),
        "warnings_by_file": _by_file(lists["warnings"][:PREVIEW_LIMIT]),
        "notice": notice,
        "shown": {name: items[:PREVIEW_LIMIT] for name, items in lists.items()},
        "hidden": {name: max(0, len(items) - PREVIEW_LIMIT) for name, items in lists.items()},
    }
    return render(request, "classrooms/roster/preview.html", context, status=status)


def _by_file(items):
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.file, []).append(item)
    return list(groups.items())


@never_cache
@login_required
@school_admin_only
def roster_import(request):
    """The upload page; a POST answers with the preview (nothing is written)."""
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster = read_roster(upload.name, upload.read())
        except RosterFileRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            request.session.pop(DONE, None)
            plan = roster_plan(roster=roster, school_id=request.user.school_id, school_year=current_school_year())
            return _preview(request, plan, filename=upload.name)
    return render(request, "classrooms/roster/upload.html", {"form": form})


@never_cache
@login_required
@school_admin_only
@require_POST
def roster_import_confirm(request):
    """Write the staged import, all of it or nothing, if the school is as the preview showed it."""
    staged = request.session.get(STAGED)
    form = RosterConfirmForm(request.POST)
    if (
        not form.is_valid()
        or not staged
        or staged["school_id"] != request.user.school_id
        or not secrets.compare_digest(staged["token"].encode(), form.cleaned_data["token"].encode())
        or not secrets.compare_digest(staged["digest"].encode(), form.cleaned_data["digest"].encode())
    ):
        messages.error(
            request,
            _(
                "That preview is no longer waiting to be confirmed: it was confirmed already, replaced by "
                "another upload, or your session ended. Nothing was imported; upload the file again."
            ),
        )
        return redirect("classrooms:roster_import")
    roster = Roster.from_data(staged["roster"])
    titles = _titles(request, roster)
    updating = request.GET.get("update") == "1"  # "Update the preview": plan with the names typed, write nothing
    if titles or updating:
        plan = roster_plan(roster=roster, school_id=request.user.school_id, school_year=staged["school_year"], titles=titles)
        if updating:
            return _preview(request, plan, filename=staged["filename"])
        if any(c.rename_error for c in plan.new_classrooms):
            notice = _("Nothing was imported: check the names of the new classrooms below.")
            return _preview(request, plan, filename=staged["filename"], notice=notice)
    try:
        result = services.roster_import_confirm(
            roster=roster, school_year=staged["school_year"], digest=staged["digest"], by=request.user, titles=titles
        )
    except RosterPlanChanged as changed:
        notice = _(
            "Nothing was imported: your school's accounts or classrooms changed since the preview. "
            "Here is the preview again, as things are now."
        )
        return _preview(request, changed.plan, filename=staged["filename"], notice=notice, status=409)
    except RosterImportFailed:
        logger.exception("roster import refused by the database")
        plan = roster_plan(roster=roster, school_id=request.user.school_id, school_year=staged["school_year"], titles=titles)
        notice = _(
            "Nothing was imported: the database refused one of the changes, most likely because someone "
            "changed the same accounts at the same moment. Here is the preview again; confirm to retry."
        )
        return _preview(request, plan, filename=staged["filename"], notice=notice, status=409)
    request.session.pop(STAGED, None)
    request.session[DONE] = {
        "filename": staged["filename"],
        "school_year": staged["school_year"],
        "created_students": result.created_students,
        "updated_students": result.updated_students,
        "created_classrooms": result.created_classrooms,
        "created_links": result.created_links,
        "enrollments_started": result.enrollments_started,
        "enrollments_ended": result.enrollments_ended,
        "classrooms": result.classrooms,
    }
    return redirect("classrooms:roster_import_done")


@never_cache
@login_required
@school_admin_only
def roster_import_done(request):
    """What the confirmed import did, with a way to each classroom that gained students."""
    done = request.session.get(DONE)
    if not done:
        return redirect("classrooms:roster_import")
    classrooms = [{"pk": pk, "name": name, "joined": joined} for pk, name, joined in done["classrooms"]]
    return render(request, "classrooms/roster/done.html", {"done": done, "classrooms": classrooms})
