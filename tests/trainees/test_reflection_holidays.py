"""Reflections over holidays and closed days: no reflection is due on a day off unless it has
an activity, and the reminders and the trainee's what-is-due agree with the days."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from programs import registry
from programs.models import Notification, WeekTemplate
from programs.services import closed_days as closed_services
from programs.services import reminders, week_templates
from trainees.services import reflections as svc

from ..factories import ProgramFactory, add_activity, enrol

pytestmark = pytest.mark.django_db

GW_START, GW_END = date(2027, 4, 26), date(2027, 5, 7)
GW_REFLECTION_DAYS = [
    date(2027, 4, 26),
    date(2027, 4, 27),
    date(2027, 4, 28),
    date(2027, 4, 30),
    date(2027, 5, 6),
    date(2027, 5, 7),
]


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def golden_week(host, coordinator, trainee):
    program = ProgramFactory(host=host, title="GW研修", start_date=GW_START, end_date=GW_END)
    template = WeekTemplate.objects.get(host__isnull=True)
    week_templates.apply_template(program, template, skip_weekends=True, by=coordinator)
    enrol(program, trainee)
    return program


def evening_reminders(day) -> set:
    reminders.dispatch(at(day, 17, 45))
    return set(Notification.objects.filter(kind="reflection").values_list("key", flat=True))


def test_golden_week_reflection_days_leave_out_the_holidays(golden_week):
    assert svc.reflection_days(golden_week) == GW_REFLECTION_DAYS


def test_an_activity_typed_on_a_holiday_makes_it_a_reflection_day(golden_week, coordinator):
    add_activity(golden_week, date(2027, 5, 4), "10:00", "12:00", "祝日の地域イベント")
    assert date(2027, 5, 4) in svc.reflection_days(golden_week)
    assert date(2027, 5, 3) not in svc.reflection_days(golden_week)


def test_no_reminder_on_a_holiday_and_one_the_next_working_day(golden_week, trainee):
    assert evening_reminders(date(2027, 4, 29)) == set()
    keys = evening_reminders(date(2027, 4, 30))
    assert len(keys) == 1 and next(iter(keys)).endswith("2027-04-30")
    # The morning after a holiday asks for nothing (4/29 was no reflection day).
    Notification.objects.all().delete()
    reminders.dispatch(at(date(2027, 4, 30), 9, 30))
    assert not Notification.objects.filter(kind="reflection_missing").exists()


def test_what_is_due_names_the_reflection_days_only(golden_week, trainee):
    now = at(date(2027, 5, 6), 12)
    due = [item for item in registry.due_for(trainee, now) if item.kind == "reflection"]
    days = {item.url.rstrip("/").rsplit("/", 1)[1] for item in due}
    assert days == {d.isoformat() for d in GW_REFLECTION_DAYS if d <= date(2027, 5, 6)}


def test_a_holiday_cannot_be_written(golden_week, trainee):
    enrollment = golden_week.enrollments.get()
    with pytest.raises(svc.ReflectionRefused) as excinfo:
        svc.check_writable_day(enrollment, date(2027, 5, 3), today=date(2027, 5, 7))
    assert excinfo.value.code == "not_a_day"


def test_a_hosts_closed_days_are_no_reflection_days(host, coordinator, trainee):
    closed_services.add_closed_days(
        host,
        name="年末年始",
        start_date=date(2026, 12, 29),
        end_date=date(2027, 1, 3),
        by=coordinator,
    )
    program = ProgramFactory(host=host, start_date=date(2026, 12, 28), end_date=date(2027, 1, 8))
    enrol(program, trainee)
    assert svc.reflection_days(program) == [
        date(2026, 12, 28),
        date(2027, 1, 4),
        date(2027, 1, 5),
        date(2027, 1, 6),
        date(2027, 1, 7),
        date(2027, 1, 8),
    ]
    assert evening_reminders(date(2026, 12, 29)) == set()
