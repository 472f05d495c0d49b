"""Large-neighbourhood search around the solver: a whole call is too big for one CP-SAT
worker to improve in seconds, so the answer is improved a few offers at a time. Each round
frees every application placed at those offers and every unplaced one that could go there,
keeps everybody else where they are, and lets CP-SAT re-solve that part exactly (the
current answer as its hint, so a round never makes it worse). The rounds visit the offers
in a fixed, seeded order: the same call gives the same answer."""

import random
from collections import defaultdict

from .problem import Candidate

OFFERS_PER_ROUND = 12
ROUND_LIMIT = 0.15  # the solver's deterministic time for one round


def improve(options, chosen, room, staff, budget: float, run_model) -> dict[int, Candidate]:
    offers = sorted({c.offer_id for cands in options.values() for c in cands})
    if len(offers) <= OFFERS_PER_ROUND:
        return chosen  # the whole call was one neighbourhood already
    random.Random(21).shuffle(offers)
    by_offer = defaultdict(set)
    for app_id, cands in options.items():
        for cand in cands:
            by_offer[cand.offer_id].add(app_id)
    chosen = dict(chosen)
    rounds = max(1, int(budget / ROUND_LIMIT))
    for number in range(rounds):
        first = (number * OFFERS_PER_ROUND) % len(offers)
        window = set((offers + offers)[first : first + OFFERS_PER_ROUND])
        chosen = _round(options, chosen, room, staff, window, by_offer, run_model)
    return chosen


def _round(options, chosen, room, staff, window, by_offer, run_model):
    free = {a for a, c in chosen.items() if c.offer_id in window}
    free |= {a for offer in window for a in by_offer[offer] if a not in chosen}
    left = dict(room)
    for app_id, cand in chosen.items():
        if app_id not in free:
            for week in cand.weeks:
                left[(cand.offer_id, week)] -= staff[app_id]
    sub = {
        app_id: [
            c
            for c in options[app_id]
            if c.offer_id in window or all(left[(c.offer_id, w)] >= staff[app_id] for w in c.weeks)
        ]
        for app_id in sorted(free)
    }
    hint = {a: chosen[a] for a in free if a in chosen}
    found, status, objective, _bound = run_model(sub, left, staff, ROUND_LIMIT, hint=hint)
    if status not in ("OPTIMAL", "FEASIBLE") or objective <= sum(c.score for c in hint.values()):
        return chosen
    kept = {a: c for a, c in chosen.items() if a not in free}
    kept.update(found)
    return kept
