"""The office takes a confirmed match back (取消) or moves it to other weeks of its offer.
Hosts cannot withdraw after matching: a change goes through the office. Each change is one
transaction; the host's coordinators and the municipality's contacts are emailed once it
commits (scheme/tasks.py)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from programs.formats import show
from programs.models import Invitation, Program, Status
from programs.refusals import Refused
from programs.services.activity_log import record_activity
from programs.services.invitations import revoke_invitation
from programs.services.programs import ProgramRefused, save_program

from ..models import Call, Match, MatchStatus, OfferWeek


class MatchRefused(Refused):
    """The match cannot be changed that way; nothing was written."""


def _locked(match: Match, *, call: bool = False) -> Match:
    """The match read again under a lock (its call's row first when `call`: the capacity of
    the call's weeks is decided under it), still confirmed."""
    if call:
        list(
            Call.objects.select_for_update(of=("self",)).filter(pk=match.call_id).values_list("pk")
        )
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("offer", "host", "application__municipality", "program")
        .get(pk=match.pk)
    )
    if match.status != MatchStatus.CONFIRMED:
        raise MatchRefused(_("This match has already been cancelled."), code="state")
    return match


def cancel_match(match: Match, *, reason: str, by, now, ip: str | None = None) -> Match:
    """Mark the match cancelled and delete its program while it is a draft (its enrolments
    with it; its pending invitations withdrawn first). A published program is refused: its
    host takes it back to draft first."""
    reason = reason.strip()
    if not reason:
        raise MatchRefused(_("Say why the match is cancelled."), field="reason")
    with transaction.atomic():
        match = _locked(match)
        program = match.program
        if program is not None:
            # The invitations before the program, in the order an acceptance takes them
            # (invitation, then program): a cancel and an acceptance at once wait for each
            # other instead of deadlocking.
            list(
                Invitation.objects.select_for_update(of=("self",))
                .filter(program=program)
                .values_list("pk")
            )
            program = Program.objects.select_for_update().get(pk=program.pk)
            if program.status != Status.DRAFT:
                raise MatchRefused(
                    _(
                        "The program of this match is already published. Ask the host to "
                        "take it back to draft first; then cancel the match."
                    ),
                    code="published",
                )
        match.status, match.cancelled_at, match.cancel_reason = (
            MatchStatus.CANCELLED,
            now,
            reason,
        )
        match.program = None
        match.save(update_fields=["status", "cancelled_at", "cancel_reason", "program"])
        if program is not None:
            _delete_draft(program, by=by, ip=ip)
        record_activity(
            by,
            "scheme.match.cancelled",
            match,
            host_company=match.host,
            municipality=match.application.municipality,
            data={"reason": reason, "program": program.pk if program else None},
            ip=ip,
        )
        _notify(match, "cancelled")
    return match


def _delete_draft(program: Program, *, by, ip) -> None:
    for invitation in program.invitations.pending():
        revoke_invitation(invitation, by=by, ip=ip)
    try:
        with transaction.atomic():
            program.delete()
    except ProtectedError as exc:
        raise MatchRefused(
            _(
                "The program of this match already holds records that cannot be deleted. "
                "Ask the host to remove them first."
            ),
            code="protected",
        ) from exc


def move_choices(match: Match) -> list[tuple[date, int]]:
    """Each other first week the match could move to: its weeks all live in the offer,
    with the places left there for the match's staff (the fewest over its weeks)."""
    live = set(
        OfferWeek.objects.filter(offer=match.offer, live=True).values_list("week", flat=True)
    )
    used = _used_places(match)
    choices = []
    for week in sorted(live):
        weeks = _weeks(week, match.weeks)
        if week == match.start_week or not all(w in live for w in weeks):
            continue
        choices.append((week, min(match.offer.places - used.get(w, 0) for w in weeks)))
    return choices


def _weeks(start: date, count: int) -> list[date]:
    return [start + timedelta(weeks=n) for n in range(count)]


def _used_places(match: Match) -> dict[date, int]:
    """Places taken in each week of the offer by its other confirmed matches."""
    used: dict[date, int] = {}
    others = (
        Match.objects.confirmed()
        .filter(offer=match.offer_id)
        .exclude(pk=match.pk)
        .values_list("start_week", "weeks", "staff")
    )
    for start, weeks, staff in others:
        for week in _weeks(start, weeks):
            used[week] = used.get(week, 0) + staff
    return used


def move_match(match: Match, start_week: date, *, by, today: date, ip: str | None = None) -> Match:
    """Move the match to start on `start_week` (the same number of weeks, the same offer):
    every week live in the offer with room for its staff, decided under the call's lock; the
    program's dates follow through the core's save_program (whose refusal is said here)."""
    with transaction.atomic():
        match = _locked(match, call=True)
        _check_move(match, start_week, today)
        previous = match.start_week
        program = match.program
        if program is not None:
            # Read again under its lock: a host's change made since (published, renamed)
            # is kept, only the dates move.
            program = Program.objects.select_for_update().get(pk=program.pk)
            shift = start_week - previous
            program.start_date += shift
            program.end_date += shift
            try:
                save_program(program, by=by, ip=ip)
            except ProgramRefused as refused:
                raise MatchRefused(refused.message, field="start_week") from refused
        match.start_week = start_week
        match.save(update_fields=["start_week"])
        record_activity(
            by,
            "scheme.match.moved",
            match,
            host_company=match.host,
            municipality=match.application.municipality,
            data={"from": previous.isoformat(), "to": start_week.isoformat()},
            ip=ip,
        )
        _notify(match, "moved")
    return match


def _check_move(match: Match, start_week: date, today: date) -> None:
    if start_week == match.start_week:
        raise MatchRefused(_("The match already starts in this week."), field="start_week")
    if match.start_week <= today or start_week <= today:
        raise MatchRefused(
            _("A match whose weeks have begun or passed cannot be moved."), field="start_week"
        )
    weeks = _weeks(start_week, match.weeks)
    live = set(
        OfferWeek.objects.filter(offer=match.offer, live=True, week__in=weeks).values_list(
            "week", flat=True
        )
    )
    missing = [w for w in weeks if w not in live]
    if missing:
        raise MatchRefused(
            _("The offer has no places in the week of %(week)s.") % {"week": show(missing[0])},
            field="start_week",
        )
    used = _used_places(match)
    for week in weeks:
        if used.get(week, 0) + match.staff > match.offer.places:
            raise MatchRefused(
                _(
                    "The week of %(week)s is full: %(used)s of %(places)s places are taken "
                    "and this match needs %(staff)s."
                )
                % {
                    "week": show(week),
                    "used": used.get(week, 0),
                    "places": match.offer.places,
                    "staff": match.staff,
                },
                field="start_week",
            )


def _notify(match: Match, kind: str) -> None:
    from ..tasks import send_match_notice

    send_match_notice.delay_on_commit(match.pk, kind)
