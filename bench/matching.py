"""Benchmark (not a test): the office's matching on a synthetic call of 1,000 applications,
100 hosts and 30 weeks, solved by the pure core (scheme/services/matching: no database,
no Django). Prints the time, how many were placed, the share that got their first and one
of their first three hosts, and how many were left unmatched with their reasons.

    .venv/bin/python bench/matching.py [--applications 1000] [--hosts 100] [--weeks 30]
                                       [--seed 21] [--time-limit 4]

The call is random but seeded (the same figures each run): hosts' popularity is skewed
(a few are asked for by many), 1–3 staff per municipality, 70% want one week, some weeks
are impossible, 10% refuse nights away, 5% need step-free access, 70% accept another host."""

import argparse
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheme.services.matching import ApplicationIn, OfferIn, Problem, solve  # noqa: E402

THEMES = ("dx", "new_business", "regional", "crowdsourcing", "work_style", "data", "pr")


def _offers(rng: random.Random, hosts: int, weeks: list[date]) -> list[OfferIn]:
    offers = []
    for host in range(1, hosts + 1):
        # One or two blocks of consecutive weeks, never overlapping (one offer per block).
        starts = sorted(rng.sample(range(len(weeks)), rng.choice((1, 1, 2))))
        taken: set[int] = set()
        for start in starts:
            length = rng.randint(4, 10)
            block = [i for i in range(start, min(start + length, len(weeks))) if i not in taken]
            if not block:
                continue
            taken.update(block)
            trip = rng.random() < 0.7
            offers.append(
                OfferIn(
                    id=len(offers) + 1,
                    host_id=host,
                    weeks=frozenset(weeks[i] for i in block),
                    places=rng.choice((1, 2, 2, 3, 3, 4)),
                    themes=frozenset(rng.sample(THEMES, rng.randint(1, 3))),
                    includes_trip=trip,
                    overnight=trip and rng.random() < 0.5,
                    accessible=rng.random() < 0.6,
                )
            )
    return offers


def _applications(rng: random.Random, count: int, hosts: int, weeks: list[date]):
    popularity = [1 / (rank**0.9) for rank in range(1, hosts + 1)]
    host_ids = list(range(1, hosts + 1))
    rng.shuffle(host_ids)  # the popular hosts are not the low ids
    applications = []
    for app_id in range(1, count + 1):
        named: list[int] = []
        while len(named) < rng.choice((1, 2, 3, 3, 4, 5)):
            pick = rng.choices(host_ids, weights=popularity)[0]
            if pick not in named:
                named.append(pick)
        season = rng.randrange(len(weeks))  # a municipality's busy and free seasons
        applications.append(
            ApplicationIn(
                id=app_id,
                staff=rng.choices((1, 2, 3), weights=(50, 35, 15))[0],
                weeks_wanted=1 if rng.random() < 0.7 else 2,
                preferred_weeks=frozenset(weeks[(season + i) % len(weeks)] for i in range(3)),
                impossible_weeks=frozenset(rng.sample(weeks, rng.randint(0, 8))),
                themes=frozenset(rng.sample(THEMES, rng.randint(1, 3))),
                host_ranks={host: rank for rank, host in enumerate(named, start=1)},
                other_hosts_ok=rng.random() < 0.7,
                no_overnight=rng.random() < 0.1,
                needs_accessibility=rng.random() < 0.05,
            )
        )
    return applications


def build(applications: int, hosts: int, weeks: int, seed: int) -> Problem:
    rng = random.Random(seed)
    first = date.today() + timedelta(days=7 - date.today().weekday())
    mondays = [first + timedelta(weeks=i) for i in range(weeks)]
    return Problem(
        weeks=mondays,
        offers=_offers(rng, hosts, mondays),
        applications=_applications(rng, applications, hosts, mondays),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=30)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--time-limit", type=float, default=4.0)
    args = parser.parse_args()
    started = time.perf_counter()
    problem = build(args.applications, args.hosts, args.weeks, args.seed)
    built = time.perf_counter() - started
    solution = solve(problem, time_limit=args.time_limit)
    total = len(problem.applications)
    staff_weeks = sum(o.places * len(o.weeks) for o in problem.offers)
    asked = sum(a.staff * a.weeks_wanted for a in problem.applications)
    print(
        f"call: {total} applications, {args.hosts} hosts ({len(problem.offers)} offers), "
        f"{args.weeks} weeks; places {staff_weeks} staff-weeks for {asked} asked"
    )
    print(f"built in {built:.2f} s; solved in {solution.seconds:.2f} s ({solution.status})")
    print(f"objective {solution.objective:,} (first pass's bound {solution.bound:,})")
    print(f"matched       {solution.matched:5d}  ({solution.matched / total:.1%})")
    print(f"first choice  {solution.first_choice:5d}  ({solution.first_choice / total:.1%})")
    print(f"top three     {solution.top_three:5d}  ({solution.top_three / total:.1%})")
    print(f"unmatched     {solution.unmatched:5d}  ({solution.unmatched / total:.1%})")
    reasons = Counter(o.reason for o in solution.outcomes.values() if o.candidate is None)
    for reason, count in reasons.most_common():
        print(f"  {reason:20s} {count:5d}")


if __name__ == "__main__":
    main()
