"""The matching's plain data: what the solver is given (`Problem`) and what it answers
(`Solution`). No Django here, so bench/matching.py builds problems without a database."""

from dataclasses import dataclass, field
from datetime import date, timedelta

WEEK = timedelta(days=7)

# Objective weights, largest first: a placed application outweighs every preference of
# every other one; then the host's rank (a named host beats an unnamed one), the preferred
# week, and each theme shared.
PLACED = 1_000_000
LOCKED = 10 * PLACED  # a lock the solver can honour is honoured before anything else
RANK_POINTS = {1: 5_000, 2: 4_000, 3: 3_000, 4: 2_000, 5: 1_000}
PREFERRED = 100
THEME = 10


@dataclass(frozen=True)
class OfferIn:
    id: int
    host_id: int
    weeks: frozenset[date]
    places: int
    themes: frozenset[str] = frozenset()
    includes_trip: bool = False
    overnight: bool = False
    accessible: bool = False


@dataclass(frozen=True)
class ApplicationIn:
    id: int
    staff: int
    weeks_wanted: int = 1
    preferred_weeks: frozenset[date] = frozenset()
    impossible_weeks: frozenset[date] = frozenset()
    themes: frozenset[str] = frozenset()
    host_ranks: dict[int, int] = field(default_factory=dict)  # host id -> rank (1 = first)
    other_hosts_ok: bool = True
    no_overnight: bool = False
    needs_accessibility: bool = False


@dataclass
class Problem:
    weeks: list[date]
    offers: list[OfferIn]
    applications: list[ApplicationIn]
    locks: dict[int, int] = field(default_factory=dict)  # application id -> host id
    forbids: set[tuple[int, int]] = field(default_factory=set)  # (application id, host id)
    used: dict[tuple[int, date], int] = field(default_factory=dict)  # (offer id, week) -> staff

    def room(self, offer: OfferIn, week: date) -> int:
        """Places left in `offer`'s `week` once the confirmed matches are counted."""
        return offer.places - self.used.get((offer.id, week), 0)


@dataclass(frozen=True)
class Candidate:
    """One way to place one application: an offer from a start week, for its weeks."""

    application_id: int
    offer_id: int
    host_id: int
    start_week: date
    weeks: tuple[date, ...]
    host_rank: int | None
    preferred_week: bool
    themes_met: int
    score: int


@dataclass
class Outcome:
    """What one application got (`candidate`), or why not (`reason`, `detail`)."""

    application_id: int
    candidate: Candidate | None = None
    reason: str = ""
    detail: dict = field(default_factory=dict)


@dataclass
class Solution:
    status: str
    seconds: float
    objective: int
    outcomes: dict[int, Outcome]
    bound: int = 0  # the first pass's proven upper bound (its LP relaxation at worst)

    @property
    def matched(self) -> int:
        return sum(1 for o in self.outcomes.values() if o.candidate is not None)

    def ranked(self, best: int) -> int:
        """How many got one of their first `best` named hosts."""
        return sum(
            1
            for o in self.outcomes.values()
            if o.candidate is not None
            and o.candidate.host_rank is not None
            and o.candidate.host_rank <= best
        )

    @property
    def first_choice(self) -> int:
        return self.ranked(1)

    @property
    def top_three(self) -> int:
        return self.ranked(3)

    @property
    def unmatched(self) -> int:
        return len(self.outcomes) - self.matched
