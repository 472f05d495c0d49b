"""Every page of a whole program (week, reflections, surveys, a trip with a leg and seminars,
an interview, reports), drawn for each of its people, when the program lies at an end of the
accepted range (2000–2100: the week of 2000-01-03, a program ending 2100-12-31 whose follow-up
survey is 90 days later) and when a row written before the range existed lies at the very
ends of the calendar (year 9999, year 1): no page answers 500, and the in-range ones answer."""

import time as clock
from datetime import date, datetime, time

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from programs.models import Activity, CalendarFeed, Program
from programs.models.programs import fiscal_year_of
from seminars.models import FollowUp, Leg, Seminar, Trip
from trainees.models import DailyReflection, ProgramSurvey

from ..reports.world import build

pytestmark = pytest.mark.django_db

WORLD_START = date(2026, 11, 30)  # where world.build puts the program (a Monday)


def move_world(world, start: date) -> None:
    """Put the whole program at `start`, as rows written straight to the database would be
    (no service checks): every date moves by the same number of days."""
    delta = start - WORLD_START
    program = world.program
    Program.objects.filter(pk=program.pk).update(
        start_date=F("start_date") + delta,
        end_date=F("end_date") + delta,
        fiscal_year=fiscal_year_of(start),
    )
    Activity.objects.filter(program=program).update(date=F("date") + delta)
    DailyReflection.objects.filter(enrollment__program=program).update(date=F("date") + delta)
    Trip.objects.filter(program=program).update(
        start_date=F("start_date") + delta, end_date=F("end_date") + delta
    )
    Seminar.objects.filter(program=program).update(date=F("date") + delta)
    FollowUp.objects.filter(seminar__program=program).update(due_date=F("due_date") + delta)
    Leg.objects.filter(trip__program=program).update(
        depart_at=F("depart_at") + delta, arrive_at=F("arrive_at") + delta
    )
    program.refresh_from_db()


def add_leg(trip) -> Leg:
    def at(day, hour):
        return timezone.make_aware(datetime.combine(day, time(hour, 0)))

    return Leg.objects.create(
        trip=trip,
        mode="rail",
        origin_place="田川後藤寺",
        destination="博多",
        depart_at=at(trip.start_date, 8),
        arrive_at=at(trip.start_date, 10),
        fare=1500,
    )


def pages(world, coordinator, trainee, supervisor) -> list[tuple[object, str]]:
    program, trip, seminar, first = world.program, world.trip, world.seminar, world.first
    p = program.pk
    interview = first.interviews.first()
    activity = Activity.objects.filter(program=program).order_by("date").first()
    feed = CalendarFeed.objects.create(
        user=trainee, kind=CalendarFeed.Kind.TRAINEE, token=CalendarFeed.new_token()
    )
    program_feed = CalendarFeed.objects.create(
        user=coordinator,
        kind=CalendarFeed.Kind.PROGRAM,
        program=program,
        token=CalendarFeed.new_token(),
    )
    trip_base = f"/programs/{p}/trips/{trip.pk}/"
    week_of = program.start_date.isoformat()
    return [
        *(
            (coordinator, url)
            for url in (
                "/",
                "/host/",
                "/programs/",
                f"/programs/{p}/",
                f"/programs/{p}/edit/",
                f"/programs/{p}/week/",
                f"/programs/{p}/week/?add={week_of}",
                f"/programs/{p}/week/?edit={activity.pk}",
                f"/programs/{p}/week/templates/",
                f"/programs/{p}/reflections/",
                f"/programs/{p}/survey/",
                f"/programs/{p}/interviews/",
                f"/programs/{p}/interviews/new/",
                f"/interviews/{interview.pk}/",
                f"/interviews/{interview.pk}/schedule/",
                f"/interviews/{interview.pk}/article/",
                f"/programs/{p}/trips/",
                f"/programs/{p}/trips/new/",
                trip_base,
                trip_base + "edit/",
                trip_base + "legs/new/",
                trip_base + "expenses/",
                trip_base + "expenses.csv",
                trip_base + "itinerary/",
                f"/programs/{p}/seminars/new/",
                f"/programs/{p}/seminars/{seminar.pk}/",
                f"/programs/{p}/seminars/{seminar.pk}/edit/",
                f"/programs/{p}/documents/",
                f"/programs/{p}/report/",
                f"/programs/{p}/trainees/{first.pk}/report/",
                "/reports/fiscal-year/",
                f"/reports/fiscal-year/?year={program.fiscal_year}",
                "/exports/",
                f"/exports/programs.csv?year={program.fiscal_year}",
                f"/exports/enrollments.csv?program={p}",
                f"/exports/reflections.csv?program={p}",
                f"/exports/expenses.csv?program={p}",
                f"/exports/seminars.csv?program={p}",
                "/reflections/new/",
                f"/activities/{activity.pk}.ics",
                f"/feeds/{program_feed.token}.ics",
            )
        ),
        *(
            (trainee, url)
            for url in (
                "/",
                "/today/",
                "/my/week/",
                f"/my/week/?week={week_of}",
                f"/my/week/?week={program.end_date.isoformat()}",
                "/my/reflections/",
                f"/my/reflections/{first.pk}/{week_of}/",
                f"/my/surveys/{first.pk}/pre/",
                f"/my/surveys/{first.pk}/post/",
                f"/my/surveys/{first.pk}/followup/",
                f"/my/interviews/{interview.pk}/",
                trip_base + "report/",
                trip_base + "itinerary/",
                "/calendar/",
                f"/activities/{activity.pk}.ics",
                f"/feeds/{feed.token}.ics",
            )
        ),
        *(
            (supervisor, url)
            for url in (
                "/",
                "/municipality/",
                "/municipality/reflections/",
                f"/programs/{p}/",
                f"/programs/{p}/week/",
                f"/programs/{p}/reflections/",
                f"/programs/{p}/survey/",
                f"/programs/{p}/interviews/",
                f"/interviews/{interview.pk}/article/",
                f"/exports/reflections.csv?program={p}",
            )
        ),
    ]


def walk(client, world, coordinator, trainee, supervisor) -> dict[str, int]:
    """Each page's status; a page raising (a 500) is reported by the test client."""
    statuses = {}
    for user, url in pages(world, coordinator, trainee, supervisor):
        client.force_login(user)
        began = clock.monotonic()
        response = client.get(url)
        took = clock.monotonic() - began
        assert took < 1, f"{url} took {took:.2f}s"
        statuses[f"{user.email} {url}"] = response.status_code
    return statuses


@pytest.fixture
def world(host, coordinator, trainee, other_trainee):
    built = build(host, coordinator, trainee, other_trainee)
    add_leg(built.trip)
    return built


# The range's own ends: a week that starts 2000-01-03 (the first Monday), and a program that
# ends on 2100-12-31 (a Friday), whose 90-day follow-up falls in 2101.
IN_RANGE = [date(2000, 1, 3), date(2100, 12, 27)]
# Rows written before the range existed, at the calendar's very ends.
LEGACY = [date(9999, 12, 27), date(1, 1, 1)]


@pytest.mark.parametrize("start", IN_RANGE, ids=str)
def test_every_page_of_a_program_at_an_end_of_the_range(
    client, world, coordinator, trainee, supervisor, start
):
    move_world(world, start)
    survey = ProgramSurvey.objects.get(program=world.program)
    assert survey.followup_days == 90
    statuses = walk(client, world, coordinator, trainee, supervisor)
    failed = {page: status for page, status in statuses.items() if status >= 500}
    assert not failed
    # The pages of the program are drawn (not merely refused).
    for page in (
        f"coordinator@example.org /programs/{world.program.pk}/week/",
        f"coordinator@example.org /programs/{world.program.pk}/survey/",
        "coordinator@example.org /host/",
        "trainee@example.org /today/",
        f"trainee@example.org /my/week/?week={world.program.start_date.isoformat()}",
        "supervisor@example.org /municipality/",
    ):
        assert statuses[page] == 200, page


def test_the_follow_up_of_a_program_ending_on_the_last_day_falls_after_it(world):
    from trainees.models import Phase
    from trainees.services.surveys import windows

    move_world(world, date(2100, 12, 27))
    survey = ProgramSurvey.objects.get(program=world.program)
    followup = windows(world.program, survey)[Phase.FOLLOWUP]
    assert timezone.localtime(followup.opens).date() == date(2101, 3, 31)


@pytest.mark.parametrize("start", LEGACY, ids=str)
def test_rows_dated_at_the_ends_of_the_calendar_cost_no_page_a_500(
    client, world, coordinator, trainee, supervisor, start
):
    move_world(world, start)
    statuses = walk(client, world, coordinator, trainee, supervisor)
    failed = {page: status for page, status in statuses.items() if status >= 500}
    assert not failed
    # The trainee's own pages still show, whatever the old rows say.
    assert statuses["trainee@example.org /today/"] == 200
    assert statuses["trainee@example.org /my/week/"] == 200


def test_an_old_activity_on_the_last_day_of_the_calendar_moves_no_further(
    client, world, coordinator
):
    """A stored activity on 9999-12-31 moved a day later: a refusal, not an overflow."""
    move_world(world, date(9999, 12, 27))
    last = Activity.objects.filter(program=world.program).order_by("-date").first()
    Activity.objects.filter(pk=last.pk).update(date=date.max)
    client.force_login(coordinator)
    response = client.post(
        reverse("programs:activity_move", args=[world.program.pk, last.pk]),
        {"direction": "next-day"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    last.refresh_from_db()
    assert last.date == date.max
