"""The matching against the database: load a closed call into the pure core's `Problem`,
solve it, and keep the run with one proposal per application; the office's pins."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.models import HostCompany, User
from programs.refusals import Refused

from ...models import (
    FAILED,
    QUEUED,
    RUNNING,
    Application,
    Call,
    CallState,
    HostChoice,
    Match,
    MatchRun,
    Offer,
    OfferWeek,
    Pin,
    PinKind,
    Proposal,
)
from .problem import ApplicationIn, OfferIn, Problem
from .solver import solve

TIME_LIMIT = 4.0
STALE = timedelta(minutes=15)


class MatchingRefused(Refused):
    """The matching cannot run, or a pin cannot be set, as asked."""


def _dates(values) -> frozenset[date]:
    return frozenset(date.fromisoformat(v) for v in values or ())


def load_problem(call: Call) -> tuple[Problem, dict[int, Match], dict]:
    """The call's live offers and applications, pins and confirmed matches, in six queries.
    Applications already confirmed stay out; their places count as used."""
    offer_weeks = defaultdict(set)
    for offer_id, week in OfferWeek.objects.filter(
        call=call, live=True, offer__withdrawn_at__isnull=True
    ).values_list("offer_id", "week"):
        offer_weeks[offer_id].add(week)
    offers = [
        OfferIn(o.id, o.host_id, frozenset(offer_weeks[o.id]), o.places, frozenset(o.themes),
                o.includes_trip, o.overnight, o.accessible)
        for o in Offer.objects.live().filter(call=call).order_by("pk")
    ]  # fmt: skip
    ranks = defaultdict(dict)
    for app_id, host_id, rank in HostChoice.objects.filter(application__call=call).values_list(
        "application_id", "host_id", "rank"
    ):
        ranks[app_id][host_id] = rank
    confirmed = {m.application_id: m for m in Match.objects.confirmed().filter(call=call)}
    used = defaultdict(int)
    for match in confirmed.values():
        for i in range(match.weeks):
            used[(match.offer_id, match.start_week + timedelta(weeks=i))] += match.staff
    applications = [
        ApplicationIn(a.id, a.staff, a.weeks_wanted, _dates(a.preferred_weeks),
                      _dates(a.impossible_weeks), frozenset(a.themes), ranks[a.id],
                      a.other_hosts_ok, a.no_overnight, a.needs_accessibility)
        for a in Application.objects.live().filter(call=call).order_by("pk")
        if a.id not in confirmed
    ]  # fmt: skip
    pins = list(Pin.objects.filter(call=call).values_list("application_id", "host_id", "kind"))
    problem = Problem(
        weeks=call.weeks(),
        offers=offers,
        applications=applications,
        locks={a: h for a, h, kind in pins if kind == PinKind.LOCK},
        forbids={(a, h) for a, h, kind in pins if kind == PinKind.FORBID},
        used=dict(used),
    )
    return problem, confirmed, {"ranks": ranks, "pins": pins}


def _check_closed(call: Call, now: datetime) -> None:
    if call.state(now) != CallState.CLOSED:
        raise MatchingRefused(_("The matching runs once the call's window has closed."))


def run_matching(call: Call, *, by: User, now: datetime) -> MatchRun:
    """Solve the call once its window has closed, here and now (the demo, the tests), and
    keep what the solver proposes."""
    _check_closed(call, now)
    return solve_run(MatchRun.objects.create(call=call, run_by=by, status=RUNNING))


def request_matching(call: Call, *, by: User, now: datetime) -> MatchRun:
    """The office's button: a worker solves the call (seconds with a thousand applications,
    never in a web request). Refused while another run of the call is under way; a run
    left unfinished for STALE (a worker lost) no longer holds the next one back."""
    _check_closed(call, now)
    from ...tasks import solve_matching

    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        pending = MatchRun.objects.pending().filter(call=call)
        pending.filter(created_at__lt=now - STALE).update(status=FAILED)
        if pending.exists():
            raise MatchingRefused(
                _("The matching is already running: its result shows here when it is done.")
            )
        run = MatchRun.objects.create(call=call, run_by=by, status=QUEUED)
        solve_matching.delay_on_commit(run.pk)
    return run


def claim_run(run_id: int) -> MatchRun | None:
    """The queued run for this worker alone (None if another worker took it, or it was
    given up as lost)."""
    if not MatchRun.objects.filter(pk=run_id, status=QUEUED).update(status=RUNNING):
        return None
    return MatchRun.objects.select_related("call").get(pk=run_id)


def solve_run(run: MatchRun) -> MatchRun:
    """Solve the run's call as it stands now and write the run's figures and its proposals
    in one transaction."""
    problem, confirmed, extra = load_problem(run.call)
    solution = solve(problem, time_limit=TIME_LIMIT)
    names = _host_names(problem, confirmed)
    proposals = [_proposal(outcome, names) for outcome in solution.outcomes.values()]
    proposals += _confirmed_proposals(confirmed, extra["ranks"])
    placed = [p for p in proposals if p.offer_id is not None]
    with transaction.atomic():
        MatchRun.objects.filter(pk=run.pk).update(
            status=solution.status,
            seconds=solution.seconds,
            objective=solution.objective,
            applications=len(proposals),
            matched=len(placed),
            first_choice=sum(1 for p in placed if p.host_rank == 1),
            top_three=sum(1 for p in placed if p.host_rank is not None and p.host_rank <= 3),
            pins=[{"application": a, "host": h, "kind": k} for a, h, k in extra["pins"]],
        )
        for proposal in proposals:
            proposal.run = run
        Proposal.objects.bulk_create(proposals)
    run.refresh_from_db()
    return run


def _confirmed_proposals(confirmed: dict[int, Match], ranks: dict) -> list[Proposal]:
    """The pairs already confirmed, explained as the run explains its own: which choice,
    whether a week was a preferred one, the themes shared (two queries)."""
    wanted = {
        row["pk"]: row
        for row in Application.objects.filter(pk__in=confirmed).values(
            "pk", "preferred_weeks", "themes"
        )
    }
    offered = dict(
        Offer.objects.filter(pk__in=[m.offer_id for m in confirmed.values()]).values_list(
            "pk", "themes"
        )
    )
    proposals = []
    for match in confirmed.values():
        app = wanted[match.application_id]
        weeks = {(match.start_week + timedelta(weeks=i)).isoformat() for i in range(match.weeks)}
        shared = set(app["themes"] or ()) & set(offered.get(match.offer_id) or ())
        proposals.append(
            Proposal(application_id=match.application_id, offer_id=match.offer_id,
                     start_week=match.start_week, weeks=match.weeks,
                     host_rank=ranks[match.application_id].get(match.host_id),
                     preferred_week=bool(weeks & set(app["preferred_weeks"] or ())),
                     themes_met=len(shared),
                     reason="confirmed")
        )  # fmt: skip
    return proposals


def _host_names(problem: Problem, confirmed: dict) -> dict[int, str]:
    ids = {o.host_id for o in problem.offers} | {m.host_id for m in confirmed.values()}
    for app in problem.applications:
        ids.update(app.host_ranks)
    ids.update(problem.locks.values())
    ids.update(h for _a, h in problem.forbids)
    return dict(HostCompany.objects.filter(pk__in=ids).values_list("pk", "name"))


def _proposal(outcome, names: dict[int, str]) -> Proposal:
    cand = outcome.candidate
    if cand is None:
        return Proposal(
            application_id=outcome.application_id,
            reason=outcome.reason,
            detail=_named(outcome.detail, names),
        )
    return Proposal(
        application_id=outcome.application_id,
        offer_id=cand.offer_id,
        start_week=cand.start_week,
        weeks=len(cand.weeks),
        host_rank=cand.host_rank,
        preferred_week=cand.preferred_week,
        themes_met=cand.themes_met,
        score=cand.score,
    )


def _named(detail: dict, names: dict[int, str]) -> dict:
    """The detail with each host id given its name, for the sentence on the page."""
    detail = dict(detail)
    if "host" in detail:
        detail["host"] = names.get(detail["host"], "")
    if "hosts" in detail:
        detail["hosts"] = [names.get(h, "") for h in detail["hosts"]]
    if "places" in detail:
        detail["places"] = [{**p, "host": names.get(p["host"], "")} for p in detail["places"]]
    return detail


def set_pin(call: Call, application: Application, host: HostCompany, kind: str, *, by: User) -> Pin:
    """Lock the application to the host, or forbid the pair; it takes effect on the next
    run. A new lock replaces the application's former one."""
    if kind not in PinKind.values:
        raise MatchingRefused(_("Unknown kind of pin."))
    if application.call_id != call.pk:
        raise MatchingRefused(_("This application belongs to another call."))
    try:
        with transaction.atomic():
            Pin.objects.filter(application=application, host=host).delete()
            if kind == PinKind.LOCK:
                Pin.objects.filter(application=application, kind=PinKind.LOCK).delete()
            return Pin.objects.create(
                call=call, application=application, host=host, kind=kind, created_by=by
            )
    except IntegrityError:
        raise MatchingRefused(
            _("Someone changed this pair's pin at the same time: try again.")
        ) from None


def remove_pin(call: Call, pin_id: int, *, by: User) -> None:
    """Take a pin away (the next run is free again for that pair)."""
    deleted, _rows = Pin.objects.filter(call=call, pk=pin_id).delete()
    if not deleted:
        raise MatchingRefused(_("This pin was already removed."))
