"""The template plans the trip: the built-in week's trip and seminar slots are placeholders
(予定枠) that nobody else sees and nothing clashes with; 出張を計画 from one takes the trip's
days and destinations from them, the legs and seminars are entered as tables filled from
them and take their places, and whatever is left goes in one step. No feed ever carries a
placeholder, so a week planned to the end has no cancelled event."""

from datetime import date, time

import pytest
from django.urls import reverse

from programs.models import Activity, Program, WeekTemplate
from programs.services import calendar as calendar_services
from programs.services import week_templates
from programs.services.placeholders import placeholders_left
from seminars.models import Leg, Seminar, Trip
from seminars.selectors import planning

from ..factories import add_activity, enrol

pytestmark = pytest.mark.django_db
BUILT_IN = "ITベンチャー研修（1週間）"


@pytest.fixture
def week(program, coordinator, trainee):
    """The program (Mon 11/30–Fri 12/04) with one trainee and the built-in week."""
    enrol(program, trainee)
    template = WeekTemplate.objects.get(host__isnull=True, name=BUILT_IN)
    week_templates.apply_template(program, template, skip_weekends=True, by=coordinator)
    return program


def first_placeholder(program, kind="trip") -> Activity:
    return placeholders_left(program).filter(kind=kind).order_by("date", "start_time").first()


def plain_trip(program, coordinator) -> Trip:
    """A trip on the template's trip days, planned without its placeholders' help."""
    from seminars.services import trips as trip_services

    return trip_services.save_trip(
        program,
        trip_services.TripPlan(
            purpose="出張",
            start_date=date(2026, 12, 1),
            end_date=date(2026, 12, 2),
            trainees=list(program.enrollments.all()),
        ),
        by=coordinator,
    )


def feed_has_no_cancelled_event(program) -> bool:
    ical = calendar_services.to_ical("feed", calendar_services.program_activities(program))
    return b"CANCELLED" not in ical


def test_the_built_in_weeks_trip_and_seminars_are_placeholders_nobody_else_sees(week, trainee):
    placeholders = placeholders_left(week).order_by("date", "start_time")
    assert [(p.date, p.kind, p.title[:6]) for p in placeholders] == [
        (date(2026, 12, 1), "trip", "移動（出張："),
        (date(2026, 12, 1), "seminar", "地域チーム初"),
        (date(2026, 12, 2), "trip", "移動（箕輪町"),
        (date(2026, 12, 2), "seminar", "地元企業向け"),
        (date(2026, 12, 2), "trip", "移動（帰社）"),
    ]
    assert Activity.objects.live().filter(program=week).count() == 11
    assert not Activity.objects.of_trainee(trainee).filter(placeholder=True).exists()
    assert not calendar_services.program_activities(week).filter(placeholder=True).exists()
    assert not calendar_services.trainee_activities(trainee).filter(placeholder=True).exists()


def test_nothing_clashes_with_a_placeholder(week, coordinator):
    """A slot for everyone over the trip's move is no clash; the placeholder stays (another
    kind does not take its place)."""
    add_activity(week, date(2026, 12, 1), "08:00", "09:00", "朝の打ち合わせ", by=coordinator)
    assert first_placeholder(week).start_time == time(7, 30)


def test_the_trip_form_takes_its_days_destinations_and_purpose_from_the_placeholders(week):
    initial = planning.trip_initial(week, first_placeholder(week, "seminar"))
    assert (initial["start_date"], initial["end_date"]) == (date(2026, 12, 1), date(2026, 12, 2))
    assert [m.name for m in initial["municipalities"]] == ["箕輪町", "松本市"]
    assert initial["purpose"].endswith("の開催（箕輪町・松本市）")
    assert "地域チーム初心者ワーカー向け説明会" in initial["purpose"]


def _trip_post(initial, enrollment, coordinator) -> dict:
    return {
        "purpose": initial["purpose"],
        "start_date": "2026-12-01",
        "end_date": "2026-12-02",
        "municipalities": [m.code for m in initial["municipalities"]],
        "trainees": [enrollment.pk],
        "staff": [coordinator.pk],
        "trainees_paid_by": "municipality",
        "status": "planned",
    }


def _rows(response) -> list[dict]:
    """The row forms of a table page, as their initial values."""
    return [form.initial for form, *_rest in response.context["rows"]]


def test_planned_from_the_placeholders_the_week_has_no_placeholder_and_no_cancelled_event(
    client, week, coordinator
):
    client.force_login(coordinator)
    placeholder = first_placeholder(week)
    new_trip = reverse("seminars:trip_new", args=[week.pk]) + f"?from={placeholder.pk}"
    page = client.get(new_trip)
    assert page.status_code == 200
    assert page.context["form"].initial["start_date"] == date(2026, 12, 1)
    initial = planning.trip_initial(week, placeholder)
    enrollment = week.enrollments.get()

    response = client.post(new_trip, _trip_post(initial, enrollment, coordinator))
    assert response.status_code == 302, response.context["form"].errors
    trip = Trip.objects.get(program=week)
    assert response["Location"] == reverse("seminars:leg_table", args=[week.pk, trip.pk])

    table = client.get(response["Location"])
    rows = _rows(table)
    assert [(r.get("origin_place"), r.get("destination")) for r in rows] == [
        ("本社", "箕輪町"),
        ("箕輪町", "松本市"),
        ("松本市", "本社"),
        ("本社", None),  # the empty row starts where the last ended
    ]
    data = {"rows": "4", "next": "1"}
    for i, row in enumerate(rows[:3]):
        data |= {
            f"row-{i}-mode": "rail",
            f"row-{i}-origin_place": row["origin_place"],
            f"row-{i}-destination": row["destination"],
            f"row-{i}-depart_at": row["depart_at"].strftime("%Y-%m-%dT%H:%M"),
            f"row-{i}-arrive_at": row["arrive_at"].strftime("%Y-%m-%dT%H:%M"),
            f"row-{i}-fare": "1,980",
        }
    data |= {"row-3-origin_place": "本社", "row-3-depart_at": "2026-12-02T20:00"}
    response = client.post(table.request["PATH_INFO"], data)
    assert response["Location"] == reverse("seminars:seminar_table", args=[week.pk, trip.pk])
    assert Leg.objects.filter(trip=trip).count() == 3
    assert not placeholders_left(week).filter(kind="trip").exists()

    seminars = client.get(response["Location"])
    forms = seminars.context["forms"]
    assert [f.initial["kind"] for f in forms] == ["worker_briefing", "business_seminar"]
    data = {"rows": str(len(forms))}
    for i, form in enumerate(forms):
        data |= {f"row-{i}-include": "on"} | {
            f"row-{i}-{name}": str(value) for name, value in form.initial.items()
        }
    response = client.post(seminars.request["PATH_INFO"], data)
    assert response["Location"] == reverse("seminars:trip_detail", args=[week.pk, trip.pk])
    assert Seminar.objects.filter(trip=trip).count() == 2
    assert not placeholders_left(week).exists()
    assert (
        not Activity.objects.filter(program=week, cancelled_at__isnull=False)
        .exclude(placeholder=True)
        .exists()
    )
    assert feed_has_no_cancelled_event(week)
    assert "予定枠" not in client.get(response["Location"]).content.decode()


def test_a_placeholder_left_is_offered_and_removed_in_one_step(client, week, coordinator):
    from seminars.services import legs as leg_services

    from .conftest import at

    trip = plain_trip(week, coordinator)
    # The move out leaves earlier than the template's slot: the placeholder stays.
    leg_services.save_leg(
        trip,
        leg_services.LegPlan(
            mode="rail",
            origin_place="本社",
            destination="伊那松島",
            depart_at=at("12-01 06:00"),
            arrive_at=at("12-01 07:20"),
        ),
        by=coordinator,
    )
    assert len(planning.trip_placeholders(trip)) == 5
    client.force_login(coordinator)
    page = client.get(reverse("seminars:trip_detail", args=[week.pk, trip.pk]))
    assert "残りの予定枠5件を削除" in page.content.decode()
    client.post(reverse("seminars:placeholders_remove", args=[week.pk, trip.pk]))
    assert not placeholders_left(week).exists()
    assert feed_has_no_cancelled_event(week)
    assert Activity.objects.live().filter(program=week, origin=trip.origin).count() == 1


def test_a_refused_row_saves_no_leg_and_keeps_what_was_typed(client, week, coordinator):
    trip = plain_trip(week, coordinator)
    client.force_login(coordinator)
    url = reverse("seminars:leg_table", args=[week.pk, trip.pk])
    row = {
        "mode": "rail",
        "origin_place": "本社",
        "destination": "箕輪町",
        "depart_at": "2026-12-01T07:30",
        "arrive_at": "2026-12-01T11:30",
    }
    bad = row | {"origin_place": "箕輪町", "destination": "松本市", "arrive_at": "2026-12-02T08:00"}
    bad["depart_at"] = "2026-12-02T09:00"
    data = {"rows": "2"} | {f"row-0-{k}": v for k, v in row.items()}
    data |= {f"row-1-{k}": v for k, v in bad.items()}
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Leg.objects.exists()
    forms = [form for form, _leg in response.context["rows"]]
    assert "arrive_at" in forms[1].errors and not forms[0].errors
    assert 'value="松本市"' in response.content.decode()
    assert placeholders_left(week).filter(kind="trip").count() == 3  # nothing taken


@pytest.mark.parametrize("which", ["planned", "other program", "not a number"])
def test_only_a_placeholder_of_this_program_starts_a_trip(
    client, week, other_program, coordinator, which
):
    client.force_login(coordinator)
    value = {
        "planned": lambda: Activity.objects.live().filter(program=week).first().pk,
        "other program": lambda: (
            add_activity(other_program, date(2026, 12, 1), "07:30", "08:00").pk
        ),
        "not a number": lambda: "1e3",
    }[which]()
    url = reverse("seminars:trip_new", args=[week.pk]) + f"?from={value}"
    assert client.get(url).status_code == 404
    seminar_url = reverse("seminars:seminar_new", args=[week.pk]) + f"?from={value}"
    assert client.get(seminar_url).status_code == 404


def test_a_seminar_placeholder_opens_the_seminar_form_filled_in(client, week, coordinator):
    client.force_login(coordinator)
    placeholder = first_placeholder(week, "seminar")
    page = client.get(reverse("seminars:seminar_new", args=[week.pk]) + f"?from={placeholder.pk}")
    initial = page.context["form"].initial
    assert (initial["kind"], initial["venue"], initial["start_time"]) == (
        "worker_briefing",
        "箕輪町",
        time(13, 0),
    )


def test_a_new_program_starts_from_the_template_in_one_step(client, coordinator):
    client.force_login(coordinator)
    template = WeekTemplate.objects.get(host__isnull=True, name=BUILT_IN)
    form = {
        "title": "1月の研修",
        "scheme": Program._meta.get_field("scheme").default,
        "start_date": "2027-01-18",
        "end_date": "2027-01-22",
        "reminder_time": "17:00",
        "reflection_deadline": "23:59",
        "week-template": template.pk,
        "week-skip_weekends": "on",
    }
    response = client.post(reverse("programs:program_create"), form)
    program = Program.objects.get(title="1月の研修")
    assert response["Location"] == reverse("programs:week_grid", args=[program.pk])
    assert program.activities.count() == 16
    assert placeholders_left(program).count() == 5

    # A template longer than the program: nothing is created, the form keeps what was typed.
    response = client.post(
        reverse("programs:program_create"), form | {"title": "短い研修", "end_date": "2027-01-19"}
    )
    assert response.status_code == 200
    assert "template" in response.context["week_form"].errors
    assert not Program.objects.filter(title="短い研修").exists()
    assert 'value="短い研修"' in response.content.decode()


def test_the_grid_shows_a_placeholder_with_the_button_that_plans_it(client, week, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("programs:week_grid", args=[week.pk])).content.decode()
    placeholder = first_placeholder(week)
    assert "is-placeholder" in html
    assert f'href="/programs/{week.pk}/trips/new/?from={placeholder.pk}"' in html


def test_plan_a_trip_from_the_trips_page_takes_the_first_placeholders_too(
    client, week, coordinator
):
    client.force_login(coordinator)
    page = client.get(reverse("seminars:trip_new", args=[week.pk]))
    assert page.context["form"].initial["start_date"] == date(2026, 12, 1)
    assert page.context["form"].initial["end_date"] == date(2026, 12, 2)


def _table_with_a_clash(client, week, coordinator):
    """The legs table, to be posted with one row over 「朝会」, an activity typed in the week."""
    morning = add_activity(week, date(2026, 12, 1), "08:00", "09:00", "朝会", by=coordinator)
    trip = plain_trip(week, coordinator)
    client.force_login(coordinator)
    url = reverse("seminars:leg_table", args=[week.pk, trip.pk])
    row = {
        "mode": "rail",
        "origin_place": "本社",
        "destination": "箕輪町",
        "depart_at": "2026-12-01T07:30",
        "arrive_at": "2026-12-01T11:30",
    }
    data = {"rows": "1"} | {f"row-0-{k}": v for k, v in row.items()}
    return morning, lambda **extra: client.post(url, data | extra)


def test_a_legs_row_over_a_typed_activity_offers_the_way_out(client, week, coordinator):
    morning, post = _table_with_a_clash(client, week, coordinator)
    html = post().content.decode()
    assert not Leg.objects.exists()
    assert f'name="replace" value="{morning.pk}"' in html and 'name="room_row" value="0"' in html
    assert f"/programs/{week.pk}/week/?edit={morning.pk}" in html

    response = post(replace=str(morning.pk), room_row="0")
    assert response.status_code == 302
    morning.refresh_from_db()
    assert morning.cancelled_at is not None
    assert Leg.objects.count() == 1


def test_the_way_out_names_a_real_activity_in_the_way(client, week, coordinator, other_program):
    """A forged pk (another program's activity): refused, nothing changes."""
    morning, post = _table_with_a_clash(client, week, coordinator)
    elsewhere = add_activity(other_program, date(2026, 12, 1), "08:00", "09:00", "他社")
    response = post(replace=str(elsewhere.pk), room_row="0")
    assert response.status_code == 200
    assert not Leg.objects.exists()
    morning.refresh_from_db()
    elsewhere.refresh_from_db()
    assert morning.cancelled_at is None and elsewhere.cancelled_at is None


def test_the_leg_form_offers_the_way_out_too(client, week, coordinator):
    morning = add_activity(week, date(2026, 12, 1), "08:00", "09:00", "朝会", by=coordinator)
    trip = plain_trip(week, coordinator)
    client.force_login(coordinator)
    url = reverse("seminars:leg_new", args=[week.pk, trip.pk])
    leg = {
        "mode": "rail",
        "origin_place": "本社",
        "destination": "箕輪町",
        "depart_at": "2026-12-01T07:30",
        "arrive_at": "2026-12-01T11:30",
    }
    response = client.post(url, leg)
    assert f'name="push" value="{morning.pk}"' in response.content.decode()
    response = client.post(url, leg | {"push": str(morning.pk)})
    assert response.status_code == 302
    morning.refresh_from_db()
    assert (morning.start_time, morning.end_time) == (time(11, 30), time(12, 30))
