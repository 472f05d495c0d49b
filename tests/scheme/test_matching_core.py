"""The matching's pure core on small hand-made problems (no database)."""

from datetime import date, timedelta

from scheme.services.matching import ApplicationIn, OfferIn, Problem, solve

MONDAY = date.today() + timedelta(days=7 - date.today().weekday())
W = [MONDAY + timedelta(weeks=i) for i in range(6)]


def offer(id, host, weeks, places=2, **kw):
    return OfferIn(id=id, host_id=host, weeks=frozenset(weeks), places=places, **kw)


def app(id, staff=1, ranks=None, **kw):
    return ApplicationIn(id=id, staff=staff, host_ranks=ranks or {}, **kw)


def test_capacity_is_respected_and_the_second_is_told_why():
    problem = Problem(W, [offer(1, 10, W[:1], places=2)], [app(1, 2, {10: 1}), app(2, 1, {10: 1})])
    solution = solve(problem)
    placed = [o for o in solution.outcomes.values() if o.candidate]
    assert len(placed) == 1
    out = next(o for o in solution.outcomes.values() if not o.candidate)
    assert out.reason == "capacity_taken"
    assert out.detail["places"][0]["host"] == 10 and out.detail["places"][0]["taken_by"] == 1


def test_staff_add_up_per_week_across_applications():
    problem = Problem(W, [offer(1, 10, W[:2], places=3)], [app(i, 2) for i in range(1, 5)])
    solution = solve(problem)
    assert solution.matched == 2
    weeks = sorted(o.candidate.start_week for o in solution.outcomes.values() if o.candidate)
    assert weeks == [W[0], W[1]]


def test_impossible_weeks_are_respected():
    problem = Problem(W, [offer(1, 10, W[:3])], [app(1, impossible_weeks=frozenset(W[:2]))])
    assert solve(problem).outcomes[1].candidate.start_week == W[2]
    blocked = solve(Problem(W, [offer(1, 10, W[:2])], [app(1, impossible_weeks=frozenset(W))]))
    assert blocked.outcomes[1].reason == "no_possible_week"


def test_two_weeks_are_consecutive_weeks_of_one_offer():
    gap = [W[0], W[2], W[4], W[5]]
    solution = solve(Problem(W, [offer(1, 10, gap)], [app(1, weeks_wanted=2)]))
    assert solution.outcomes[1].candidate.weeks == (W[4], W[5])
    none = solve(Problem(W, [offer(1, 10, [W[0], W[2]])], [app(1, weeks_wanted=2)]))
    assert none.outcomes[1].reason == "no_possible_week"


def test_hard_filters_name_the_constraint():
    offers = [offer(1, 10, W[:2], overnight=True, includes_trip=True)]
    assert solve(Problem(W, offers, [app(1, no_overnight=True)])).outcomes[1].reason == "overnight"
    plain = [offer(1, 10, W[:2])]
    needs = solve(Problem(W, plain, [app(1, needs_accessibility=True)]))
    assert needs.outcomes[1].reason == "not_accessible"
    big = solve(Problem(W, [offer(1, 10, W[:2], places=2)], [app(1, staff=3)]))
    assert big.outcomes[1].reason == "no_room" and big.outcomes[1].detail == {"staff": 3}
    named = solve(Problem(W, plain, [app(1, ranks={11: 1}, other_hosts_ok=False)]))
    assert named.outcomes[1].reason == "no_named_host_offer"
    assert named.outcomes[1].detail["hosts"] == [11]


def test_other_hosts_ok_false_stays_with_named_hosts():
    offers = [offer(1, 10, W[:1], places=5), offer(2, 11, W[:1], places=1)]
    apps = [app(1, ranks={11: 1}, other_hosts_ok=False), app(2, ranks={11: 1})]
    solution = solve(Problem(W, offers, apps))
    assert solution.outcomes[1].candidate.host_id == 11  # the only one it accepts
    assert solution.outcomes[2].candidate.host_id == 10  # it accepts another host


def test_locks_and_forbids():
    offers = [offer(1, 10, W[:1]), offer(2, 11, W[:1])]
    locked = solve(Problem(W, offers, [app(1, ranks={10: 1})], locks={1: 11}))
    assert locked.outcomes[1].candidate.host_id == 11
    forbidden = solve(Problem(W, offers, [app(1, ranks={10: 1})], forbids={(1, 10)}))
    assert forbidden.outcomes[1].candidate.host_id == 11
    both = solve(Problem(W, offers, [app(1)], forbids={(1, 10), (1, 11)}))
    assert both.outcomes[1].reason == "forbidden" and both.outcomes[1].detail["hosts"] == [10, 11]


def test_an_impossible_lock_is_reported_not_fatal():
    offers = [offer(1, 10, W[:1], overnight=True, includes_trip=True), offer(2, 11, W[:1])]
    apps = [app(1, no_overnight=True), app(2)]
    solution = solve(Problem(W, offers, apps, locks={1: 10}))
    assert solution.outcomes[1].reason == "lock_impossible"
    assert solution.outcomes[1].detail["because"] == "overnight"
    assert solution.outcomes[2].candidate is not None


def test_preference_order_is_honoured_when_capacity_forces_a_choice():
    offers = [offer(1, 10, W[:1], places=1), offer(2, 11, W[:1], places=1)]
    # Both want host 10; the first ranks it first, the second third: 10 goes to the first.
    apps = [app(1, ranks={11: 1, 10: 2}), app(2, ranks={10: 1, 11: 3})]
    solution = solve(Problem(W, offers, apps))
    assert solution.outcomes[1].candidate.host_id == 11
    assert solution.outcomes[2].candidate.host_id == 10
    assert solution.first_choice == 2


def test_placing_more_applications_beats_better_ranks():
    offers = [offer(1, 10, W[:1], places=1), offer(2, 11, W[:1], places=1)]
    apps = [app(1, ranks={10: 1, 11: 2}), app(2, ranks={10: 1}, other_hosts_ok=False)]
    solution = solve(Problem(W, offers, apps))
    assert solution.matched == 2
    assert solution.outcomes[2].candidate.host_id == 10


def test_preferred_week_and_themes_break_ties():
    offers = [offer(1, 10, W[:3], themes=frozenset({"dx"})), offer(2, 11, W[:3])]
    one = app(1, preferred_weeks=frozenset({W[2]}), themes=frozenset({"dx"}))
    got = solve(Problem(W, offers, [one])).outcomes[1].candidate
    assert (got.offer_id, got.start_week, got.preferred_week, got.themes_met) == (1, W[2], True, 1)


def test_confirmed_places_are_used():
    problem = Problem(W, [offer(1, 10, W[:1], places=2)], [app(1, 2)], used={(1, W[0]): 1})
    assert solve(problem).outcomes[1].reason == "no_room"


def test_the_same_problem_gives_the_same_answer():
    offers = [offer(i, 100 + i % 4, W[i % 3 : i % 3 + 3], places=1 + i % 2) for i in range(1, 9)]
    apps = [
        app(
            i, staff=1 + i % 3, ranks={100 + i % 4: 1, 100 + (i + 1) % 4: 2}, weeks_wanted=1 + i % 2
        )
        for i in range(1, 30)
    ]
    runs = [solve(Problem(W, offers, apps)) for _ in range(2)]
    assert runs[0].outcomes == runs[1].outcomes and runs[0].objective == runs[1].objective


def test_every_unmatched_application_has_a_reason():
    offers = [offer(1, 10, W[:2], places=1), offer(2, 11, W[2:4], places=2, overnight=True,
                                                    includes_trip=True)]  # fmt: skip
    apps = [app(i, staff=1 + i % 2, ranks={10: 1}, no_overnight=i % 3 == 0) for i in range(1, 12)]
    solution = solve(Problem(W, offers, apps))
    for outcome in solution.outcomes.values():
        assert outcome.candidate is not None or outcome.reason in {
            "capacity_taken", "overnight", "no_room"}  # fmt: skip
    assert solution.unmatched > 0


def test_a_larger_call_is_improved_by_neighbourhoods_and_stays_deterministic():
    """Big enough for the rounds a few offers at a time: the same answer twice, every
    week within its places, nobody placed twice."""
    from bench.matching import build

    problem = build(applications=200, hosts=30, weeks=12, seed=5)
    first, second = solve(problem, time_limit=2), solve(problem, time_limit=2)
    assert first.outcomes == second.outcomes and first.matched > 150
    staff = {a.id: a.staff for a in problem.applications}
    load: dict = {}
    for outcome in first.outcomes.values():
        if outcome.candidate:
            for week in outcome.candidate.weeks:
                key = (outcome.candidate.offer_id, week)
                load[key] = load.get(key, 0) + staff[outcome.application_id]
    offers = {o.id: o for o in problem.offers}
    assert all(n <= offers[offer].places for (offer, _w), n in load.items())


def test_a_crowded_call_without_time_to_solve_still_places_people():
    """When the solver finds no answer in the time given (a thousand applications for a few
    hosts), the starting answer stands: every room kept, nobody told 'unsolved'."""
    weeks = [W[0] + timedelta(weeks=i) for i in range(12)]
    offers = [offer(i, 100 + i, weeks[i % 6 : i % 6 + 6], places=3) for i in range(1, 21)]
    apps = [app(i, 1 + i % 3, {100 + (i + r * 7) % 20 + 1: r + 1 for r in range(3)})
            for i in range(1, 601)]  # fmt: skip
    solution = solve(Problem(weeks, offers, apps), time_limit=0.0001)
    placed = [o for o in solution.outcomes.values() if o.candidate is not None]
    assert placed and not any(o.reason == "unsolved" for o in solution.outcomes.values())
    used = {}
    for outcome in placed:
        for week in outcome.candidate.weeks:
            key = (outcome.candidate.offer_id, week)
            used[key] = used.get(key, 0) + (1 + outcome.application_id % 3)
    assert all(n <= 3 for n in used.values())
