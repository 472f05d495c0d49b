"""Travel costs computed under each traveller's payer's rules (旅費規程): 田川市 on the older
national set (鉄道賃・航空賃・車賃・日当・宿泊料), 北見市 and the host on the revised set
(交通費・宿泊費 capped at the ceiling and flagged above it・宿泊手当). Fares per leg, lodging and
allowances per night, the allowance per day; computed lines follow the trip and the rules,
typed lines stay; the old lines' migration names them in the older set's words."""

from datetime import UTC, date

import pytest

from seminars.models import Expense, Scheme, TravelRules
from seminars.services import expenses as expense_services
from seminars.services import legs as leg_services
from seminars.services import travel_costs
from seminars.services import travel_rules as rules_services
from seminars.services.common import TripRefused

from ..factories import enrol, trainee_of
from .conftest import leg_plan, plan, save_trip_again

pytestmark = pytest.mark.django_db

# The trip of conftest: 12-01..12-02, one night; the starting values of the rules.
CEILING, NIGHT, FLAT, DAY = 10000, 2400, 13100, 2200


@pytest.fixture
def older_tagawa(tagawa):
    return TravelRules.objects.create(municipality=tagawa, scheme=Scheme.OLDER)


@pytest.fixture
def kitami_enrollment(program, kitami):
    return enrol(program, trainee_of(kitami, "kitami-trainee@example.org"))


@pytest.fixture
def mixed_trip(program, coordinator, enrollment, kitami_enrollment, staff, older_tagawa):
    """田川市's trainee (older rules), 北見市's (revised, no row) and the host's staff member
    (revised, no row); two nights at 12,000円; a flight and a bus."""
    from seminars.services import trips as trip_services

    trip = trip_services.save_trip(
        program,
        plan(
            program,
            [enrollment, kitami_enrollment],
            [staff],
            end_date=date(2026, 12, 3),
            lodging_cost=12000,
        ),
        by=coordinator,
    )
    leg_services.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)
    leg_services.save_leg(
        trip,
        leg_plan("12-01 09:30", "12-01 12:30", mode="bus", service="高速バス", fare=4000),
        by=coordinator,
    )
    return trip


def lines_of(trip, **who):
    return {
        (e.kind, e.label): (e.amount, e.quantity, e.actual_cost, e.ceiling)
        for e in Expense.objects.filter(trip=trip, **who)
    }


def test_the_older_set_pays_per_leg_a_flat_rate_per_night_and_an_allowance_per_day(
    mixed_trip, enrollment
):
    assert lines_of(mixed_trip, enrollment=enrollment) == {
        ("fare_air", "航空賃"): (38000, 1, None, None),
        ("fare_car", "車賃"): (4000, 1, None, None),
        ("lodging", "宿泊料"): (2 * FLAT, 2, None, None),
        ("daily_allowance", "日当"): (3 * DAY, 3, None, None),
    }


def test_the_revised_set_pays_lodging_at_cost_up_to_the_ceiling_and_flags_it(
    mixed_trip, kitami_enrollment, staff
):
    expected = {
        ("fare_air", "交通費"): (38000, 1, None, None),
        ("fare_car", "交通費"): (4000, 1, None, None),
        ("lodging", "宿泊費"): (2 * CEILING, 2, 12000, CEILING),
        ("lodging_allowance", "宿泊手当"): (2 * NIGHT, 2, None, None),
    }
    assert lines_of(mixed_trip, enrollment=kitami_enrollment) == expected
    assert lines_of(mixed_trip, staff=staff) == expected
    lodging = Expense.objects.get(trip=mixed_trip, staff=staff, kind="lodging")
    assert lodging.over_ceiling and lodging.generated
    assert lodging.note == "2泊 × 10,000円（実費 12,000円、上限 10,000円）"
    assert {e.payer for e in Expense.objects.filter(trip=mixed_trip, staff=staff)} == {"host"}


def test_lodging_under_the_ceiling_is_paid_at_cost_and_not_flagged(
    mixed_trip, coordinator, enrollment, kitami_enrollment, staff
):
    save_trip_again(
        mixed_trip,
        [enrollment, kitami_enrollment],
        [staff],
        by=coordinator,
        end_date=date(2026, 12, 3),
        lodging_cost=9000,
    )
    lodging = Expense.objects.get(trip=mixed_trip, staff=staff, kind="lodging")
    assert (lodging.amount, lodging.over_ceiling) == (2 * 9000, False)


def test_a_day_trip_has_fares_only_and_the_allowance_per_day_of_the_older_set(
    program, coordinator, enrollment, kitami_enrollment, older_tagawa
):
    from seminars.services import trips as trip_services

    trip = trip_services.save_trip(
        program,
        plan(program, [enrollment, kitami_enrollment], end_date=date(2026, 12, 1)),
        by=coordinator,
    )
    leg_services.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)
    assert set(lines_of(trip, enrollment=kitami_enrollment)) == {("fare_air", "交通費")}
    assert set(lines_of(trip, enrollment=enrollment)) == {
        ("fare_air", "航空賃"),
        ("daily_allowance", "日当"),
    }


def test_changing_the_rules_computes_open_trips_again_and_keeps_typed_lines(
    mixed_trip, coordinator, supervisor, enrollment, tagawa
):
    typed = expense_services.save_expense(
        mixed_trip,
        expense_services.ExpensePlan(f"e{enrollment.pk}", "other", 800, "municipality", "資料"),
        by=coordinator,
    )
    rules_services.save_rules(
        tagawa,
        rules_services.RulesPlan(
            scheme=Scheme.OWN,
            lodging_ceiling=11000,
            lodging_allowance=1000,
            lodging_flat=0,
            daily_allowance=0,
            fare_word="運賃",
            lodging_word="宿泊費",
            night_word="宿泊雑費",
        ),
        by=supervisor,
    )
    assert lines_of(mixed_trip, enrollment=enrollment) == {
        ("fare_air", "運賃"): (38000, 1, None, None),
        ("fare_car", "運賃"): (4000, 1, None, None),
        ("lodging", "宿泊費"): (2 * 11000, 2, 12000, 11000),
        ("lodging_allowance", "宿泊雑費"): (2 * 1000, 2, None, None),
        ("other", "その他"): (800, 1, None, None),
    }
    typed.refresh_from_db()
    assert (typed.amount, typed.note, typed.generated) == (800, "資料", False)


def test_a_finished_trip_keeps_its_lines_until_its_coordinator_computes_them_again(
    mixed_trip, coordinator, supervisor, enrollment, tagawa
):
    type(mixed_trip).objects.filter(pk=mixed_trip.pk).update(status="done")
    plan_ = rules_services.RulesPlan(
        scheme=Scheme.REVISED,
        lodging_ceiling=15000,
        lodging_allowance=NIGHT,
        lodging_flat=FLAT,
        daily_allowance=DAY,
    )
    rules_services.save_rules(tagawa, plan_, by=supervisor)
    assert ("daily_allowance", "日当") in lines_of(mixed_trip, enrollment=enrollment)
    with pytest.raises(TripRefused):
        travel_costs.recompute(mixed_trip, by=supervisor)
    travel_costs.recompute(mixed_trip, by=coordinator)
    assert lines_of(mixed_trip, enrollment=enrollment)[("lodging", "宿泊費")] == (
        2 * 12000,
        2,
        12000,
        15000,
    )


def test_the_host_may_pay_for_its_trainees_under_its_own_rules(
    mixed_trip, coordinator, enrollment, kitami_enrollment, staff
):
    save_trip_again(
        mixed_trip,
        [enrollment, kitami_enrollment],
        [staff],
        by=coordinator,
        end_date=date(2026, 12, 3),
        lodging_cost=12000,
        trainees_paid_by="host",
    )
    lines = Expense.objects.filter(trip=mixed_trip, enrollment=enrollment)
    assert {e.payer for e in lines} == {"host"}
    assert ("lodging_allowance", "宿泊手当") in lines_of(mixed_trip, enrollment=enrollment)


def test_the_rules_refuse_negative_yen_and_an_own_set_without_words(tagawa, supervisor):
    base = {"lodging_ceiling": 1, "lodging_allowance": 1, "lodging_flat": 1, "daily_allowance": 1}
    with pytest.raises(TripRefused) as refused:
        rules_services.save_rules(
            tagawa,
            rules_services.RulesPlan(scheme="revised", **{**base, "lodging_ceiling": -1}),
            by=supervisor,
        )
    assert refused.value.field == "lodging_ceiling"
    with pytest.raises(TripRefused) as refused:
        rules_services.save_rules(
            tagawa, rules_services.RulesPlan(scheme="own", **base), by=supervisor
        )
    assert refused.value.field == "fare_word"
    assert not TravelRules.objects.exists()


def test_the_migration_names_old_lines_in_the_older_sets_words(transactional_db):
    """Lines of the hard-wired older set (category rail, air, car, daily, lodging, other)
    become kinds named in its words; a fare line (with a leg) is a computed one."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    # The registry's columns (programs 0012) stay: only the seminars app goes back.
    before = [("seminars", "0001_initial"), ("programs", "0012_local_government_registry")]
    after = [("seminars", "0002_travel_rules")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    models = _old_world(old)
    for category, amount in (("air", 38000), ("daily", 4400), ("lodging", 10900)):
        old.get_model("seminars", "Expense").objects.create(
            category=category,
            amount=amount,
            payer="municipality",
            leg=models["leg"] if category == "air" else None,
            trip=models["trip"],
            enrollment=models["enrollment"],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("seminars", "Expense")
    rows = set(new.objects.values_list("kind", "label", "amount", "generated"))
    assert rows == {
        ("fare_air", "航空賃", 38000, True),
        ("daily_allowance", "日当", 4400, False),
        ("lodging", "宿泊料", 10900, False),
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_world(apps) -> dict:
    """A host, a program, a trainee of a municipality, a trip and a leg, in the models as
    they were before the travel rules."""
    from datetime import datetime

    # 田川市 is in the registry every migrate loads.
    municipality, _new = apps.get_model("programs", "Municipality").objects.get_or_create(
        code="402061", defaults={"name": "田川市", "prefecture": 40}
    )
    host = apps.get_model("programs", "HostCompany").objects.create(name="受入企業")
    user = apps.get_model("programs", "User").objects.create(email="t@example.org")
    program = apps.get_model("programs", "Program").objects.create(
        host=host,
        title="研修",
        start_date=date(2026, 11, 30),
        end_date=date(2026, 12, 4),
        fiscal_year=2026,
    )
    enrollment = apps.get_model("programs", "Enrollment").objects.create(
        program=program, trainee=user, municipality=municipality
    )
    trip = apps.get_model("seminars", "Trip").objects.create(
        program=program, purpose="出張", start_date=date(2026, 12, 1), end_date=date(2026, 12, 2)
    )
    leg = apps.get_model("seminars", "Leg").objects.create(
        trip=trip,
        mode="flight",
        origin_place="福岡空港",
        destination="羽田空港",
        depart_at=datetime(2026, 11, 30, 22, tzinfo=UTC),
        arrive_at=datetime(2026, 11, 30, 23, 40, tzinfo=UTC),
        fare=38000,
    )
    return {"enrollment": enrollment, "trip": trip, "leg": leg}
