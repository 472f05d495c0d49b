"""The allocation itself, with OR-Tools CP-SAT: one boolean per placement an application
could take, at most one per application, the staff covering each week of an offer within
its room, and the preferences met maximised (weights in problem.py).

Deterministic: one worker, a fixed seed, the model built in a fixed order, and a limit in
the solver's deterministic time (not the clock), so the same problem gives the same
answer on any machine; a wall-clock limit four times longer only guards against a stall."""

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .candidates import Blocked, _iso, candidates_for
from .neighbourhoods import improve
from .problem import Candidate, Outcome, Problem, Solution

SEED = 21
WORKERS = 1


# Placements at hosts an application did not name, kept for the first pass (its named
# hosts' are all kept): the best by score, ties spread over the offers.
SHORTLIST = 10


def solve(problem: Problem, time_limit: float = 4.0) -> Solution:
    """Two passes of one model: first every placement at a named host and a shortlist of
    the others (solved whole, then improved a few offers at a time); then, for whoever is
    still out, every placement still free."""
    started = time.perf_counter()
    outcomes: dict[int, Outcome] = {}
    options: dict[int, list[Candidate]] = {}
    staff = {app.id: app.staff for app in problem.applications}
    memo: dict = {}
    for app in sorted(problem.applications, key=lambda a: a.id):
        try:
            options[app.id] = candidates_for(problem, app, memo)
        except Blocked as blocked:
            outcomes[app.id] = Outcome(app.id, None, blocked.reason, blocked.detail)
    room = {
        (offer.id, week): problem.room(offer, week)
        for offer in problem.offers
        for week in offer.weeks
    }
    first = {app_id: _shortlist(cands) for app_id, cands in options.items()}
    chosen, status, objective, bound = _run_model(first, room, staff, time_limit * 0.2)
    if status in SOLVED:
        chosen = improve(first, chosen, room, staff, time_limit * 0.6, _run_model)
        objective = sum(c.score for c in chosen.values())
        for cand in chosen.values():
            for week in cand.weeks:
                room[(cand.offer_id, week)] -= staff[cand.application_id]
        second = {
            app_id: [
                c for c in cands if all(room[(c.offer_id, w)] >= staff[app_id] for w in c.weeks)
            ]
            for app_id, cands in options.items()
            if app_id not in chosen and len(cands) > len(first[app_id])
        }
        more, status_two, objective_two, _bound = _run_model(second, room, staff, time_limit * 0.2)
        if status_two in SOLVED:
            chosen.update(more)
            objective += objective_two
    for app_id, candidate in chosen.items():
        outcomes[app_id] = Outcome(app_id, candidate)
    for app_id, cands in options.items():
        if app_id not in chosen:
            if status in SOLVED:
                outcomes[app_id] = _capacity_taken(app_id, cands, chosen)
            else:
                outcomes[app_id] = Outcome(app_id, None, "unsolved", {"status": status})
    seconds = round(time.perf_counter() - started, 3)
    return Solution(status, seconds, objective, dict(sorted(outcomes.items())), bound)


SOLVED = ("OPTIMAL", "FEASIBLE")


def _shortlist(cands: list[Candidate]) -> list[Candidate]:
    named = [c for c in cands if c.host_rank is not None]
    others = [c for c in cands if c.host_rank is None]
    if len(others) <= SHORTLIST:
        return cands
    others.sort(key=lambda c: (-c.score, (c.offer_id * 7919 + c.application_id * 104729) % 1009))
    return named + sorted(others[:SHORTLIST], key=cands.index)


def _run_model(options, room, staff, time_limit, hint=None):
    """Choose at most one placement per application within the room of each offer's week,
    starting from `hint` ({application id: candidate}) or from a greedy first answer."""
    options = {app_id: cands for app_id, cands in options.items() if cands}
    if not options:
        return {}, "OPTIMAL", 0, 0
    model = cp_model.CpModel()
    variables: list[tuple[Candidate, cp_model.IntVar]] = []
    cover: dict[tuple, tuple[list, list]] = defaultdict(lambda: ([], []))
    for app_id, cands in options.items():
        own = []
        for cand in cands:
            var = model.new_bool_var("")
            own.append(var)
            variables.append((cand, var))
            for week in cand.weeks:
                terms, sizes = cover[(cand.offer_id, week)]
                terms.append(var)
                sizes.append(staff[app_id])
        model.add_at_most_one(own)
    for key, (terms, sizes) in sorted(cover.items()):
        if sum(sizes) > room[key]:
            model.add(cp_model.LinearExpr.weighted_sum(terms, sizes) <= room[key])
    hinted = {id(c) for c in hint.values()} if hint is not None else _greedy(variables, room, staff)
    for cand, var in variables:
        model.add_hint(var, id(cand) in hinted)
    model.maximize(
        cp_model.LinearExpr.weighted_sum(
            [var for _c, var in variables], [cand.score for cand, _v in variables]
        )
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = WORKERS
    solver.parameters.random_seed = SEED
    solver.parameters.max_deterministic_time = time_limit
    solver.parameters.max_time_in_seconds = time_limit * 4
    code = solver.solve(model)
    status = solver.status_name(code)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No answer in the time given (a crowded call): the starting answer stands. It keeps
        # every room by construction, and the rounds that follow improve it.
        chosen = {cand.application_id: cand for cand, _var in variables if id(cand) in hinted}
        if not chosen:
            return {}, status, 0, 0
        return chosen, "FEASIBLE", sum(cand.score for cand in chosen.values()), 0
    chosen = {cand.application_id: cand for cand, var in variables if solver.boolean_value(var)}
    return chosen, status, int(solver.objective_value), int(solver.best_objective_bound)


def _greedy(variables, room, staff) -> set[int]:
    """A first solution for the solver to start from (a hint, not the answer): the best
    placements first, each while there is room."""
    left = dict(room)
    placed: set[int] = set()
    hinted: set[int] = set()
    for cand, _var in sorted(variables, key=lambda cv: (-cv[0].score, cv[0].application_id)):
        need = staff[cand.application_id]
        if cand.application_id in placed or any(
            left[(cand.offer_id, w)] < need for w in cand.weeks
        ):
            continue
        for week in cand.weeks:
            left[(cand.offer_id, week)] -= need
        placed.add(cand.application_id)
        hinted.add(id(cand))
    return hinted


def _capacity_taken(app_id, cands, chosen) -> Outcome:
    """It could have gone somewhere, but the places went to others: name the best of those
    places (host, weeks) and how many of the applications placed there named that host
    before this one did."""
    best = sorted(cands, key=lambda c: (-c.score, c.start_week, c.offer_id))
    seen, places = set(), []
    for cand in best:
        if (cand.host_id, cand.start_week) in seen:
            continue
        seen.add((cand.host_id, cand.start_week))
        takers = [
            other
            for other in chosen.values()
            if other.offer_id == cand.offer_id and set(other.weeks) & set(cand.weeks)
        ]
        higher = sum(
            1
            for other in takers
            if other.host_rank is not None
            and (cand.host_rank is None or other.host_rank < cand.host_rank)
        )
        places.append(
            {
                "host": cand.host_id,
                "weeks": _iso(cand.weeks),
                "taken_by": len(takers),
                "ranked_higher": higher,
            }
        )
        if len(places) == 3:
            break
    return Outcome(app_id, None, "capacity_taken", {"places": places, "options": len(cands)})
