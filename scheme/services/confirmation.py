"""確定: the office confirms a proposed pair. The match is kept, a draft program is made at
the host, and (after commit) the host's coordinators and the municipality's contacts are
emailed. Nothing is sent before this."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from programs.formats import show
from programs.models import Program, Scheme, User
from programs.refusals import Refused
from programs.services.activity_log import record_activity
from programs.services.programs import save_program

from ..models import Application, Call, Match, MatchRun, Offer, OfferWeek, Proposal


class ConfirmationRefused(Refused):
    """The pair cannot be confirmed as it stands; nothing was made."""


def program_title(municipality_name: str) -> str:
    """The draft program's title, in Japanese whoever confirms (the host reads it)."""
    with translation.override("ja"):
        return _("IT venture training (%(municipality)s)") % {"municipality": municipality_name}


def confirm_proposal(proposal: Proposal, *, by: User, now: datetime) -> Match:
    """Confirm one proposal of the call's latest run, in one transaction with the call's
    row locked, so two of the office's staff confirming at once never fill a week beyond
    its places nor confirm an application twice."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=proposal.run.call_id)
        latest = MatchRun.objects.latest_finished(call)
        if latest is None or latest.pk != proposal.run_id:
            raise ConfirmationRefused(
                _("This proposal is from an older run of the matching: confirm the latest.")
            )
        if proposal.offer_id is None:
            raise ConfirmationRefused(_("Nothing was proposed for this application."))
        application = Application.objects.select_related("municipality").get(
            pk=proposal.application_id
        )
        offer = Offer.objects.select_related("host").get(pk=proposal.offer_id)
        _check(call, proposal, application, offer)
        weeks = [proposal.start_week + timedelta(weeks=i) for i in range(proposal.weeks)]
        program = save_program(
            Program(
                host=offer.host,
                title=program_title(application.municipality.name),
                scheme=Scheme.IT_VENTURE,
                start_date=weeks[0],
                end_date=weeks[-1] + timedelta(days=4),
            ),
            by=by,
        )
        try:
            with transaction.atomic():
                match = Match.objects.create(
                    call=call, application=application, offer=offer, host=offer.host,
                    start_week=weeks[0], weeks=len(weeks), staff=application.staff,
                    program=program, confirmed_by=by, confirmed_at=now,
                )  # fmt: skip
        except IntegrityError:
            raise ConfirmationRefused(
                _("%(municipality)s's application was already confirmed.")
                % {"municipality": application.municipality.name}
            ) from None
        record_activity(by, "scheme.match_confirmed", program, host_company=offer.host,
                        municipality=application.municipality)  # fmt: skip
        from ..tasks import send_match_notice

        send_match_notice.delay_on_commit(match.pk, "confirmed")
    return match


def _check(call: Call, proposal: Proposal, application: Application, offer: Offer) -> None:
    name = application.municipality.name
    if application.withdrawn_at is not None:
        raise ConfirmationRefused(_("%(municipality)s withdrew its application.") % {
            "municipality": name})  # fmt: skip
    if offer.withdrawn_at is not None:
        raise ConfirmationRefused(
            _("%(host)s withdrew this offer: run the matching again.") % {"host": offer.host.name}
        )
    if Match.objects.confirmed().filter(application=application).exists():
        raise ConfirmationRefused(
            _("%(municipality)s's application was already confirmed.") % {"municipality": name}
        )
    weeks = [proposal.start_week + timedelta(weeks=i) for i in range(proposal.weeks)]
    live = OfferWeek.objects.filter(offer=offer, live=True, week__in=weeks).count()
    if live != len(weeks):
        raise ConfirmationRefused(_("The offer no longer has these weeks: run the matching again."))
    for week in weeks:
        taken = sum(
            Match.objects.confirmed()
            .filter(offer=offer, start_week__lte=week)
            .filter(Q(start_week=week) | Q(start_week=week - timedelta(weeks=1), weeks=2))
            .values_list("staff", flat=True)
        )
        if taken + application.staff > offer.places:
            raise ConfirmationRefused(
                _("%(host)s has no room left for %(staff)s staff in the week of %(week)s.")
                % {"host": offer.host.name, "staff": application.staff, "week": show(week)}
            )


def waiting_proposals(call: Call, run: MatchRun | None):
    """The run's proposed pairs not confirmed yet (none without a run)."""
    if run is None:
        return Proposal.objects.none()
    confirmed = Match.objects.confirmed().filter(call=call).values("application_id")
    return Proposal.objects.filter(run=run, offer__isnull=False).exclude(
        application_id__in=confirmed
    )


def confirm_all(call: Call, run: MatchRun | None, *, by: User, now: datetime):
    """Every pair of `run` waiting for confirmation, each in its own transaction: one refused
    pair leaves the others confirmed. Returns (how many confirmed, the refusals' messages)."""
    done, refused = 0, []
    waiting = (
        waiting_proposals(call, run)
        .select_related("run", "application__municipality")
        .order_by("application__municipality__code", "pk")
    )
    for proposal in waiting:
        try:
            confirm_proposal(proposal, by=by, now=now)
            done += 1
        except Refused as refusal:
            refused.append(refusal.message)
    return done, refused
