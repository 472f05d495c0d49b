"""Rosters: enrolling a program's trainees from a file, in three steps (upload, preview,
confirm); a worker reads the file and another applies it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import access
from ..client import client_ip
from ..forms import RosterUploadForm
from ..models import RosterImport
from ..refusals import show_refusal
from ..services import roster as roster_services


def roster_upload(request, pk: int):
    """Step 1: upload. The file is kept and read by a worker (step 2, roster_import)."""
    program = access.get_program_for_user(request.user, pk, write=True)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > roster_services.MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB."))
        else:
            roster_import = roster_services.start_reading(
                program, upload.read(), upload.name, by=request.user, ip=client_ip(request)
            )
            return redirect("programs:roster_import", pk=program.pk, import_pk=roster_import.pk)
    return render(request, "programs/roster.html", {"program": program, "form": form})


def _roster_import(request, pk: int, import_pk: int):
    program = access.get_program_for_user(request.user, pk, write=True)
    return program, access.get_roster_import(program, import_pk)


def roster_import(request, pk: int, import_pk: int):
    """Step 2: the file being read (the page refreshes itself), then the preview, nothing
    written yet; or why the file could not be read, beside a form to upload it again."""
    program, roster_import = _roster_import(request, pk, import_pk)
    State = RosterImport.State
    if roster_import.state in (State.QUEUED, State.RUNNING, State.DONE, State.FAILED):
        return redirect("programs:program_detail", pk=program.pk)
    now = timezone.now()
    context = {"program": program, "roster_import": roster_import}
    refusal = roster_import.error if roster_import.state == State.REFUSED else ""
    if roster_services.reading_stopped(roster_import, now=now):
        refusal = _("Reading this file stopped before the end. Upload it again.")
    elif roster_import.state == State.PREVIEW:
        try:
            preview = roster_services.RosterPreview.from_json(roster_import.rows)
        except roster_services.RosterRefused as refused:
            refusal = refused.message
        else:
            context.update(
                preview=preview,
                shown=_preview_rows(preview),
                expired=roster_services.preview_expired(roster_import, now=now),
            )
    if refusal:
        form = RosterUploadForm()
        form.errors["file"] = form.error_class(  # with its id: the input points to it
            [refusal], field_id=form["file"].auto_id
        )
        context.update(form=form, refused=True)
    return render(request, "programs/roster.html", context)


def _preview_rows(preview, limit: int = 300):
    """Invalid rows first (all of them, up to the limit), then the others."""
    ordered = sorted(preview.rows, key=lambda r: (r.status != "invalid", r.line))
    return ordered[:limit]


@require_POST
def roster_confirm(request, pk: int, import_pk: int):
    """Step 3: confirm. A worker applies every row or none; the program page shows the result."""
    program, roster_import = _roster_import(request, pk, import_pk)
    try:
        roster_services.confirm_roster(
            roster_import, by=request.user, now=timezone.now(), ip=client_ip(request)
        )
    except roster_services.RosterRefused as refused:
        show_refusal(refused, request=request)
        if roster_import.state == RosterImport.State.PREVIEW:
            return redirect("programs:roster_import", pk=program.pk, import_pk=roster_import.pk)
        return redirect("programs:program_detail", pk=program.pk)
    messages.success(request, _("The roster is being applied: its result appears below."))
    return redirect("programs:program_detail", pk=program.pk)
