"""Which placements each application could take, and, when it could take none, the first
constraint that ruled the last of them out (the reason its row on the office's page gives).

The filters run in a fixed order, each narrowing what the one before left: the hosts it
may go to (a lock, or the hosts it named when no other is acceptable), the office's
forbidden hosts, its possible weeks, nights away, step-free access, and room for its staff."""

from collections.abc import Iterable
from datetime import date

from .problem import (
    LOCKED,
    PLACED,
    PREFERRED,
    RANK_POINTS,
    THEME,
    WEEK,
    ApplicationIn,
    Candidate,
    OfferIn,
    Problem,
)


class Blocked(Exception):
    """No placement is left; `reason` is a short code, `detail` what a sentence needs."""

    def __init__(self, reason: str, detail: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or {}


def _iso(weeks: Iterable[date]) -> list[str]:
    return [week.isoformat() for week in sorted(weeks)]


def _offer_runs(offer: OfferIn, length: int, memo: dict) -> list[tuple[date, ...]]:
    """Every run of `length` consecutive weeks in the offer, in order (kept in `memo`)."""
    key = (offer.id, length)
    if key not in memo:
        memo[key] = [
            run
            for run in (
                tuple(start + WEEK * i for i in range(length)) for start in sorted(offer.weeks)
            )
            if all(w in offer.weeks for w in run)
        ]
    return memo[key]


def _runs(app: ApplicationIn, offer: OfferIn, memo: dict) -> list[tuple[date, ...]]:
    """The offer's runs of the wanted length with no impossible week."""
    runs = _offer_runs(offer, app.weeks_wanted, memo)
    if not app.impossible_weeks:
        return runs
    return [run for run in runs if not any(w in app.impossible_weeks for w in run)]


def _hosts_allowed(problem: Problem, app: ApplicationIn, offers: list[OfferIn]) -> list[OfferIn]:
    locked = problem.locks.get(app.id)
    if locked is not None:
        return [o for o in offers if o.host_id == locked]
    if app.other_hosts_ok:
        return offers
    named = [o for o in offers if o.host_id in app.host_ranks]
    if not named:
        raise Blocked("no_named_host_offer", {"hosts": sorted(app.host_ranks)})
    return named


def _not_forbidden(problem: Problem, app: ApplicationIn, offers: list[OfferIn]) -> list[OfferIn]:
    left = [o for o in offers if (app.id, o.host_id) not in problem.forbids]
    if offers and not left:
        raise Blocked("forbidden", {"hosts": sorted({o.host_id for o in offers})})
    return left


def _placements(problem: Problem, app: ApplicationIn, offers: list[OfferIn], memo: dict):
    """(offer, run) pairs that pass the weeks, nights, access and room filters."""
    pairs = [(o, run) for o in offers for run in _runs(app, o, memo)]
    if not pairs:
        raise Blocked(
            "no_possible_week",
            {
                "weeks_wanted": app.weeks_wanted,
                "impossible": _iso(app.impossible_weeks),
                "named_only": not app.other_hosts_ok,
                "hosts": sorted(app.host_ranks) if not app.other_hosts_ok else [],
            },
        )
    if app.no_overnight:
        pairs = [(o, run) for o, run in pairs if not o.overnight]
        if not pairs:
            raise Blocked("overnight")
    if app.needs_accessibility:
        pairs = [(o, run) for o, run in pairs if o.accessible]
        if not pairs:
            raise Blocked("not_accessible")
    roomy = [(o, run) for o, run in pairs if all(problem.room(o, w) >= app.staff for w in run)]
    if not roomy:
        raise Blocked("no_room", {"staff": app.staff})
    return roomy


def score(app: ApplicationIn, host_rank: int | None, preferred: bool, themes_met: int) -> int:
    points = PLACED + RANK_POINTS.get(host_rank, 0) if host_rank else PLACED
    return points + (PREFERRED if preferred else 0) + THEME * themes_met


def candidates_for(
    problem: Problem, app: ApplicationIn, memo: dict | None = None
) -> list[Candidate]:
    """Every placement `app` could take (raises Blocked when there is none). `memo` keeps
    the offers' runs of weeks from one application to the next."""
    memo = {} if memo is None else memo
    if not problem.offers:
        raise Blocked("no_offers")
    locked = problem.locks.get(app.id)
    try:
        offers = _hosts_allowed(problem, app, problem.offers)
        if locked is not None and not offers:
            raise Blocked("no_offer_at_host")
        offers = _not_forbidden(problem, app, offers)
        pairs = _placements(problem, app, offers, memo)
    except Blocked as blocked:
        if locked is None:
            raise
        raise Blocked(
            "lock_impossible", {"host": locked, "because": blocked.reason, **blocked.detail}
        ) from None
    found = []
    for offer, run in pairs:
        rank = app.host_ranks.get(offer.host_id)
        preferred = any(w in app.preferred_weeks for w in run)
        themes = len(app.themes & offer.themes)
        points = score(app, rank, preferred, themes) + (LOCKED if locked is not None else 0)
        found.append(
            Candidate(app.id, offer.id, offer.host_id, run[0], run, rank, preferred, themes, points)
        )
    return found
