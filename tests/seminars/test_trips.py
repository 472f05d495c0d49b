"""A trip: inside its program, with its own program's trainees and its host's staff; its
legs and seminars are the week's activities, moved with it, refused on a clash, and changed
only through it."""

from datetime import date

import pytest

from programs.models import Activity
from programs.services import week as week_services
from programs.services import week_templates
from seminars.models import Trip
from seminars.services import legs as leg_services
from seminars.services import trips as trip_services
from seminars.services.common import TripRefused

from ..factories import add_activity
from .conftest import at, leg_plan, plan, save_trip_again, submit_report

pytestmark = pytest.mark.django_db


def derived(trip):
    return Activity.objects.live().filter(program=trip.program).exclude(origin="")


def test_a_trip_outside_the_program_is_refused_and_nothing_saved(program, enrollment, coordinator):
    with pytest.raises(TripRefused) as refused:
        trip_services.save_trip(
            program, plan(program, [enrollment], end_date=date(2026, 12, 5)), by=coordinator
        )
    assert refused.value.field == "start_date"
    assert "2026-11-30" in refused.value.message
    assert Trip.objects.count() == 0


def test_the_last_day_before_the_first_is_refused(program, enrollment, coordinator):
    with pytest.raises(TripRefused) as refused:
        trip_services.save_trip(
            program,
            plan(program, [enrollment], start_date=date(2026, 12, 2), end_date=date(2026, 12, 1)),
            by=coordinator,
        )
    assert refused.value.field == "end_date"


def test_a_trainee_of_another_program_is_refused(program, enrollment, elsewhere, coordinator):
    with pytest.raises(TripRefused) as refused:
        trip_services.save_trip(program, plan(program, [enrollment, elsewhere]), by=coordinator)
    assert refused.value.field == "trainees"
    assert str(elsewhere.trainee) in refused.value.message
    assert Trip.objects.count() == 0


def test_staff_of_another_host_is_refused(program, enrollment, outsider, coordinator):
    with pytest.raises(TripRefused) as refused:
        trip_services.save_trip(program, plan(program, [enrollment], [outsider]), by=coordinator)
    assert refused.value.field == "staff"


def test_only_a_coordinator_plans_a_trip(program, enrollment, staff):
    with pytest.raises(TripRefused):
        trip_services.save_trip(program, plan(program, [enrollment]), by=staff)


def test_legs_appear_in_the_week_for_the_trips_trainees(
    trip, first_leg, enrollment, second_enrollment
):
    (activity,) = derived(trip)
    assert (activity.date, f"{activity.start_time:%H:%M}", f"{activity.end_time:%H:%M}") == (
        date(2026, 12, 1),
        "07:00",
        "08:40",
    )
    assert activity.title == "移動：福岡空港 → 羽田空港（JAL 304）"
    assert activity.kind == "trip"
    assert activity.origin == f"trip:{trip.pk}"
    assert not activity.for_all
    assert set(activity.participants.all()) == {enrollment, second_enrollment}


def test_moving_the_trip_moves_its_legs_seminars_and_activities(
    trip, first_leg, seminar, coordinator, people
):
    before = {a.origin_part: (a.pk, a.sequence) for a in derived(trip)}
    save_trip_again(
        trip, *people, start_date=date(2026, 12, 2), end_date=date(2026, 12, 3), by=coordinator
    )
    first_leg.refresh_from_db()
    seminar.refresh_from_db()
    assert (first_leg.depart_at, first_leg.arrive_at) == (at("12-02 07:00"), at("12-02 08:40"))
    assert seminar.date == date(2026, 12, 2)
    after = {a.origin_part: a for a in derived(trip)}
    assert {part: a.date for part, a in after.items()} == {
        f"leg:{first_leg.pk}:0": date(2026, 12, 2),
        "": date(2026, 12, 2),
    }
    # The same calendar events, one sequence later: calendars move them, not re-create them.
    for part, activity in after.items():
        assert activity.pk == before[part][0]
        assert activity.sequence == before[part][1] + 1


def test_a_move_that_clashes_with_the_week_is_refused_and_nothing_moves(
    trip, first_leg, coordinator, people
):
    add_activity(trip.program, date(2026, 12, 3), "07:30", "09:00", "通常業務")
    with pytest.raises(TripRefused) as refused:
        save_trip_again(
            trip, *people, start_date=date(2026, 12, 3), end_date=date(2026, 12, 4), by=coordinator
        )
    assert "通常業務" in refused.value.message
    trip.refresh_from_db()
    first_leg.refresh_from_db()
    assert trip.start_date == date(2026, 12, 1)
    assert first_leg.depart_at == leg_plan("12-01 07:00", "12-01 08:40").depart_at
    assert [a.date for a in derived(trip)] == [date(2026, 12, 1)]


def test_shortening_the_trip_under_its_legs_is_refused(trip, coordinator, people):
    leg_services.save_leg(trip, leg_plan("12-02 18:00", "12-02 19:45"), by=coordinator)
    with pytest.raises(TripRefused) as refused:
        save_trip_again(trip, *people, end_date=date(2026, 12, 1), by=coordinator)
    assert refused.value.field == "end_date"


def test_a_cancelled_trip_leaves_the_week_and_comes_back_when_planned_again(
    trip, first_leg, seminar, coordinator, people
):
    save_trip_again(trip, *people, status="cancelled", by=coordinator)
    assert not derived(trip).exists()
    cancelled = Activity.objects.filter(program=trip.program, origin=trip.origin).get()
    assert cancelled.cancelled_at is not None  # kept, so calendars are told
    save_trip_again(trip, *people, status="planned", by=coordinator)
    assert derived(trip).count() == 2


def test_leaving_the_trip_removes_a_trainee_from_its_activities_and_fares(
    trip, first_leg, coordinator, enrollment, second_enrollment, staff
):
    save_trip_again(trip, [enrollment], [staff], by=coordinator)
    (activity,) = derived(trip)
    assert list(activity.participants.all()) == [enrollment]
    assert not trip.expenses.filter(enrollment=second_enrollment).exists()


def test_the_week_editor_cannot_change_or_delete_a_derived_activity(trip, first_leg, coordinator):
    (activity,) = derived(trip)
    slot = week_services.Slot(
        date=activity.date,
        start_time=activity.start_time,
        end_time=activity.end_time,
        title="書き換え",
        kind="work",
    )
    with pytest.raises(week_services.ActivityRefused) as refused:
        week_services.save_activity(trip.program, slot, by=coordinator, activity=activity)
    assert "出張" in refused.value.message or "Trip" in refused.value.message
    with pytest.raises(week_services.ActivityRefused):
        week_services.cancel_activity(activity, by=coordinator)
    activity.refresh_from_db()
    assert activity.title.startswith("移動") and activity.cancelled_at is None


def test_copying_the_week_leaves_the_trip_behind(trip, first_leg, coordinator, host):
    from ..factories import ProgramFactory

    add_activity(trip.program, date(2026, 11, 30), "09:30", "10:00", "オリエンテーション")
    target = ProgramFactory(host=host, start_date=date(2027, 1, 11))
    copied = week_templates.copy_week(trip.program, target, skip_weekends=False, by=coordinator)
    assert [a.title for a in copied] == ["オリエンテーション"]
    assert all(not a.origin for a in copied)


def test_a_week_cell_of_a_leg_links_to_its_trip(client, trip, first_leg, coordinator):
    client.force_login(coordinator)
    response = client.get(f"/programs/{trip.program.pk}/week/")
    assert f'href="/programs/{trip.program.pk}/trips/{trip.pk}/"' in response.content.decode()
    (activity,) = derived(trip)
    response = client.get(f"/programs/{trip.program.pk}/week/?edit={activity.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/programs/{trip.program.pk}/trips/{trip.pk}/"


def test_a_night_leg_is_cut_at_midnight(trip, coordinator):
    leg_services.save_leg(
        trip,
        leg_plan("12-01 22:30", "12-02 06:10", mode="bus", service="夜行バス", fare=8000),
        by=coordinator,
    )
    pieces = sorted((a.date, f"{a.start_time:%H:%M}", f"{a.end_time:%H:%M}") for a in derived(trip))
    assert pieces == [
        (date(2026, 12, 1), "22:30", "23:59"),
        (date(2026, 12, 2), "00:00", "06:10"),
    ]


def test_a_clash_is_named_with_both_slots(trip, coordinator):
    add_activity(trip.program, date(2026, 12, 1), "08:00", "09:00", "朝会")
    with pytest.raises(TripRefused) as refused:
        leg_services.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)
    assert "朝会" in refused.value.message and "移動" in refused.value.message
    assert not trip.legs.exists()
    assert not trip.expenses.exclude(kind="lodging_allowance").exists()  # no fare line


def test_participants_are_listed_trainees_first(trip, enrollment, second_enrollment, staff):
    people = trip_services.participants(trip)
    assert [p["key"] for p in people][-1] == f"s{staff.pk}"
    assert {p["key"] for p in people[:2]} == {f"e{enrollment.pk}", f"e{second_enrollment.pk}"}
    assert people[0]["affiliation"].startswith("田川市")


def test_a_reported_program_keeps_its_trip(trip, coordinator, enrollment):
    trip.program.status = "reported"
    trip.program.save(update_fields=["status"])
    with pytest.raises(TripRefused):
        leg_services.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)
    assert not trip.legs.exists()


def test_a_trainee_who_withdrew_stays_on_the_trip_when_it_is_edited(
    trip, first_leg, coordinator, enrollment, second_enrollment, people
):
    from programs.services.programs import withdraw

    withdraw(second_enrollment, by=coordinator, reason="体調不良")
    second_enrollment.refresh_from_db()
    save_trip_again(trip, *people, lodging="変更", by=coordinator)
    assert set(trip.trainees.all()) == {enrollment, second_enrollment}
    # The fare and the night's allowance stay.
    assert trip.expenses.filter(enrollment=second_enrollment).count() == 2
    # The form offers them too, since they are on the trip; a new trip does not.
    from seminars.forms import TripForm

    assert (
        second_enrollment in TripForm(program=trip.program, trip=trip).fields["trainees"].queryset
    )
    assert second_enrollment not in TripForm(program=trip.program).fields["trainees"].queryset
    with pytest.raises(TripRefused):
        trip_services.save_trip(
            trip.program, plan(trip.program, [second_enrollment]), by=coordinator
        )


def test_taking_someone_off_the_trip_takes_them_out_of_its_seminars(
    trip, seminar, coordinator, enrollment, second_enrollment, staff
):
    save_trip_again(trip, [enrollment], [staff], by=coordinator)
    assert list(seminar.roles.values_list("enrollment", flat=True)) == [enrollment.pk]
    activity = Activity.objects.live().get(origin=seminar.origin)
    assert list(activity.participants.all()) == [enrollment]


def test_someone_with_hand_typed_expenses_is_not_taken_off_silently(
    trip, coordinator, enrollment, second_enrollment, staff
):
    from seminars.services import expenses as expense_services

    expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(f"e{second_enrollment.pk}", "other", 10900, "municipality"),
        by=coordinator,
    )
    with pytest.raises(TripRefused) as refused:
        save_trip_again(trip, [enrollment], [staff], by=coordinator)
    assert refused.value.field == "trainees"
    assert second_enrollment in trip.trainees.all()
    assert trip.expenses.filter(enrollment=second_enrollment).exists()


def test_a_trip_moves_past_its_own_seminar(trip, coordinator, program, people):
    from seminars.services import seminars as seminar_services

    from .conftest import seminar_plan

    leg_services.save_leg(trip, leg_plan("12-01 10:00", "12-01 11:00"), by=coordinator)
    seminar_services.save_seminar(
        program, seminar_plan(day="12-02", start="10:00", end="12:00"), trip=trip, by=coordinator
    )
    save_trip_again(
        trip, *people, start_date=date(2026, 12, 2), end_date=date(2026, 12, 3), by=coordinator
    )
    assert sorted(a.date for a in derived(trip)) == [date(2026, 12, 2), date(2026, 12, 3)]


def test_changing_only_the_first_day_moves_nothing(trip, first_leg, seminar, coordinator, people):
    save_trip_again(trip, *people, start_date=date(2026, 11, 30), by=coordinator)
    first_leg.refresh_from_db()
    seminar.refresh_from_db()
    assert first_leg.depart_at == at("12-01 07:00")
    assert seminar.date == date(2026, 12, 1)


def test_staff_added_to_a_trip_are_checked_against_their_other_legs(
    trip, first_leg, coordinator, host, enrollment, second_enrollment, staff
):
    from ..factories import ProgramFactory, TraineeProfileFactory, UserFactory, enrol

    other = ProgramFactory(host=host, title="別の研修")
    other_enrollment = enrol(other, TraineeProfileFactory(user=UserFactory()).user)
    other_trip = trip_services.save_trip(other, plan(other, [other_enrollment]), by=coordinator)
    leg_services.save_leg(
        other_trip, leg_plan("12-01 07:30", "12-01 09:00", mode="car", fare=0), by=coordinator
    )
    with pytest.raises(TripRefused) as refused:
        trip_services.save_trip(
            other, plan(other, [other_enrollment], [staff]), by=coordinator, trip=other_trip
        )
    assert str(staff) in refused.value.message
    assert not other_trip.staff.exists()


def test_the_program_cannot_shrink_under_a_trip(trip, coordinator):
    from programs.services.programs import ProgramRefused, save_program

    program = trip.program
    program.end_date = date(2026, 12, 1)  # the trip runs to 12/02; it has no legs yet
    with pytest.raises(ProgramRefused) as refused:
        save_program(program, by=coordinator)
    assert trip.purpose in refused.value.message
    program.refresh_from_db()
    assert program.end_date == date(2026, 12, 4)


def test_the_kept_trip_page_shows_every_change_at_once(
    client, trip, first_leg, coordinator, enrollment
):
    """The trip page is kept rendered; every writer (a leg, an expense, an acknowledged
    report, a person's name) makes the next view fresh."""
    from seminars.services import expenses as expense_services
    from seminars.services import trip_reports as report_services

    url = f"/programs/{trip.program.pk}/trips/{trip.pk}/"
    client.force_login(coordinator)
    assert "新宿" not in client.get(url).content.decode()
    leg_services.save_leg(
        trip,
        leg_plan("12-01 09:00", "12-01 09:40", destination="新宿", mode="rail"),
        by=coordinator,
    )
    assert "新宿" in client.get(url).content.decode()
    expense_services.save_expense(
        trip,
        expense_services.ExpensePlan(f"e{enrollment.pk}", "other", 12345, "municipality"),
        by=coordinator,
    )
    assert "12,345円" in client.get(url).content.decode()
    report = submit_report(trip, enrollment)
    report_services.acknowledge(report, by=coordinator)
    assert "確認済み" in client.get(url).content.decode()
    enrollment.trainee.family_name = "改姓"
    enrollment.trainee.save()
    assert "改姓" in client.get(url).content.decode()


def test_a_cancelled_trip_does_not_hold_the_program_back(
    trip, coordinator, enrollment, staff, people
):
    from programs.services.programs import save_program

    program = trip.program
    save_trip_again(trip, *people, status="cancelled", by=coordinator)
    program.start_date, program.end_date = date(2026, 12, 21), date(2026, 12, 25)
    save_program(program, by=coordinator)  # postponed by three weeks
    # Planned again, the trip must come inside the new dates.
    with pytest.raises(TripRefused):
        save_trip_again(trip, [enrollment], [staff], by=coordinator)


def test_a_title_edit_is_not_refused_for_the_dates(trip, coordinator):
    from programs.services.programs import save_program

    program = trip.program
    program.title = "改題"
    save_program(program, by=coordinator)
    program.refresh_from_db()
    assert program.title == "改題"


def test_someone_who_filed_a_report_stays_on_the_trip(
    trip, coordinator, trainee, enrollment, second_enrollment, staff
):

    submit_report(trip, enrollment)
    with pytest.raises(TripRefused) as refused:
        save_trip_again(trip, [second_enrollment], [staff], by=coordinator)
    assert refused.value.field == "trainees"
    assert enrollment in trip.trainees.all()


def test_the_trainees_week_links_a_leg_to_its_trip(client, trip, first_leg, trainee, monkeypatch):
    from django.utils import timezone

    real = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, tz=None: date(2026, 12, 1) if value is None else real(value, tz),
    )
    client.force_login(trainee)
    html = client.get("/my/week/").content.decode()
    assert "移動：福岡空港 → 羽田空港（JAL 304）" in html
    assert f'href="/programs/{trip.program.pk}/trips/{trip.pk}/"' in html
