"""Dates are 2000-01-01 to 2100-12-31 wherever they enter (programs.date_range): the program
form and the service refuse a year 9999 with one clear message next to the field; the week's
?week= falls back to this week when it is malformed or outside the range (never a 500), and
offers no link beyond the range."""

import re
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from programs import date_range
from programs.models import Activity, Program
from programs.services import programs as service
from programs.services import week as week_service

from ..factories import ProgramFactory, add_activity, enrol, field_block

pytestmark = pytest.mark.django_db

MESSAGE_JA = "2000年1月1日から2100年12月31日までの日付を入力してください。"

PROGRAM_POST = {
    "title": "はるか未来の研修",
    "scheme": "it_venture",
    "start_date": "9999-12-27",
    "end_date": "9999-12-31",
    "municipality_aims": "スピード感を知る",
    "host_aims": "",
    "reminder_time": "17:30",
    "reflection_deadline": "23:59",
}


def test_the_message_names_the_range_in_japanese():
    with translation.override("ja"):
        assert date_range.out_of_range_message() == MESSAGE_JA


class TestProgramForm:
    def test_year_9999_is_refused_next_to_the_field_and_the_rest_is_kept(self, client, coordinator):
        client.force_login(coordinator)
        response = client.post(reverse("programs:program_create"), PROGRAM_POST)
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"start_date", "end_date"}
        html = response.content.decode()
        assert MESSAGE_JA in field_block(html, "start_date")
        assert MESSAGE_JA in field_block(html, "end_date")
        # What was typed stays in the form.
        assert 'value="はるか未来の研修"' in html
        assert 'value="9999-12-27"' in html
        assert "スピード感を知る" in html
        assert not Program.objects.exists()

    def test_the_date_inputs_carry_the_range(self, client, coordinator):
        client.force_login(coordinator)
        html = client.get(reverse("programs:program_create")).content.decode()
        start_input = re.search(r"<input[^>]*name=\"start_date\"[^>]*>", html).group(0)
        assert 'min="2000-01-01"' in start_input and 'max="2100-12-31"' in start_input

    @pytest.mark.parametrize(
        ("start", "end", "bad"),
        [
            ("1999-12-31", "2000-01-04", {"start_date"}),
            ("2100-12-28", "2101-01-02", {"end_date"}),
            ("0001-01-01", "0001-01-05", {"start_date", "end_date"}),
        ],
    )
    def test_just_outside_the_range_is_refused(self, client, coordinator, start, end, bad):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:program_create"),
            {**PROGRAM_POST, "start_date": start, "end_date": end},
        )
        assert set(response.context["form"].errors) == bad
        assert not Program.objects.exists()

    @pytest.mark.parametrize(
        ("start", "end"), [("2000-01-01", "2000-01-05"), ("2100-12-27", "2100-12-31")]
    )
    def test_the_ends_of_the_range_are_accepted(self, client, coordinator, start, end):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:program_create"),
            {**PROGRAM_POST, "start_date": start, "end_date": end},
        )
        program = Program.objects.get()
        assert response.url == reverse("programs:week_grid", args=[program.pk])
        assert program.start_date == date.fromisoformat(start)

    def test_editing_to_year_9999_is_refused_and_nothing_changes(
        self, client, coordinator, program
    ):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:program_edit", args=[program.pk]),
            {**PROGRAM_POST, "title": "新しい名前", "start_date": "9999-12-27"},
        )
        assert response.status_code == 200
        assert MESSAGE_JA in field_block(response.content.decode(), "start_date")
        program.refresh_from_db()
        assert program.start_date == date(2026, 11, 30) and program.title != "新しい名前"


class TestProgramService:
    @pytest.mark.parametrize(
        ("start", "end", "field"),
        [
            (date(9999, 12, 27), date(9999, 12, 31), "start_date"),
            (date(1999, 12, 31), date(2000, 1, 1), "start_date"),
            (date(2100, 12, 31), date(2101, 1, 1), "end_date"),
        ],
    )
    def test_the_service_refuses_too(self, host, coordinator, start, end, field):
        with translation.override("ja"), pytest.raises(service.ProgramRefused) as refused:
            service.save_program(
                Program(host=host, title="x", start_date=start, end_date=end), by=coordinator
            )
        assert refused.value.field == field
        assert refused.value.message == MESSAGE_JA
        assert not Program.objects.exists()

    def test_the_service_accepts_the_last_day(self, host, coordinator):
        program = service.save_program(
            Program(
                host=host, title="x", start_date=date(2100, 12, 31), end_date=date(2100, 12, 31)
            ),
            by=coordinator,
        )
        assert Program.objects.get(pk=program.pk).end_date == date_range.LATEST

    def test_an_activity_is_refused_outside_the_range_even_inside_an_old_program(self, host):
        """A program written before the range existed (year 9999): its week takes nothing
        more on those days."""
        old = ProgramFactory(host=host, start_date=date(9999, 12, 27), end_date=date(9999, 12, 31))
        with pytest.raises(week_service.ActivityRefused) as refused:
            add_activity(old, date(9999, 12, 28), "10:00", "11:00")
        assert refused.value.field == "date"
        assert refused.value.message == date_range.out_of_range_message()
        assert not Activity.objects.exists()


def this_monday() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


class TestWeekParameter:
    """Out of range or malformed: the page shows this week, as with no ?week= at all."""

    BAD = [
        "9999-12-31",
        "9999-12-27",
        "0001-01-01",
        "1999-12-26",
        "2101-01-03",
        "garbage",
        "2026-13-01",
        "10000-01-01",
        "２０２６-１２-０１",
        "2026-12-01" + "0" * 500,
    ]

    @pytest.mark.parametrize("value", BAD)
    def test_a_trainee_gets_this_week(self, client, trainee, value):
        client.force_login(trainee)
        response = client.get(reverse("programs:trainee_week"), {"week": value})
        assert response.status_code == 200
        assert response.context["monday"] == this_monday()
        assert response.context["this_week"] is True
        # …and says so, naming what was asked for (cut short) and the weeks it can show.
        page = response.content.decode()
        assert f"「{value[:20]}」の週は表示できません" in page
        assert "2000年1月1日 から 2100年12月31日" in page

    @pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "garbage"])
    def test_a_coordinator_gets_the_not_found_of_a_non_trainee(self, client, coordinator, value):
        client.force_login(coordinator)
        assert client.get(reverse("programs:trainee_week"), {"week": value}).status_code == 404

    def test_an_enrolled_trainee_with_a_program_in_year_9999(self, client, host, trainee):
        """The reproduction: a program written in year 9999, its trainee's pages."""
        old = ProgramFactory(host=host, start_date=date(9999, 12, 27), end_date=date(9999, 12, 31))
        enrol(old, trainee)
        Activity.objects.create(
            program=old,
            date=date(9999, 12, 31),
            start_time=time(10, 0),
            end_time=time(11, 0),
            title="遠い未来の活動",
            kind="work",
        )
        client.force_login(trainee)
        for url in ("/", "/today/", "/my/week/?week=9999-12-27", "/my/week/?week=9999-12-31"):
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
        # The week asked for lies outside the range: this week, not the old one.
        response = client.get("/my/week/?week=9999-12-31")
        assert "遠い未来の活動" not in response.content.decode()

    def test_a_week_inside_the_range_is_shown(self, client, host, trainee):
        program = ProgramFactory(
            host=host, start_date=date(2100, 12, 27), end_date=date(2100, 12, 31)
        )
        enrol(program, trainee)
        add_activity(program, date(2100, 12, 31), "10:00", "11:00", "最後の日の活動")
        client.force_login(trainee)
        response = client.get(reverse("programs:trainee_week"), {"week": "2100-12-31"})
        assert response.context["monday"] == date(2100, 12, 27)
        assert "の週は表示できません" not in response.content.decode()
        assert "最後の日の活動" in response.content.decode()

    @pytest.mark.parametrize(
        ("week", "previous", "next_"),
        [
            # The last week: no next week to go to.
            ("2100-12-31", "2100-12-20", ""),
            # The week before it: the last week is offered.
            ("2100-12-24", "2100-12-13", "2100-12-27"),
            # The first week (Monday 1999-12-27, with 1 and 2 January 2000): no previous.
            ("2000-01-01", "", "2000-01-03"),
            # The second week: the first is offered by its first day in the range.
            ("2000-01-03", "2000-01-01", "2000-01-10"),
        ],
    )
    def test_no_link_leads_outside_the_range(self, client, trainee, week, previous, next_):
        client.force_login(trainee)
        response = client.get(reverse("programs:trainee_week"), {"week": week})
        assert (response.context["previous"], response.context["next"]) == (previous, next_)
        html = response.content.decode()
        assert ('href="?week="' in html) is False
        for target in (previous, next_):
            if target:
                assert f'href="?week={target}"' in html
                # The link leads to that week, not back to this week.
                shown = client.get(reverse("programs:trainee_week"), {"week": target}).context[
                    "monday"
                ]
                assert shown == week_service.week_range(date.fromisoformat(target))[0]


class TestWeekGrid:
    @pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "garbage"])
    def test_adding_at_a_day_outside_the_program_opens_the_form_without_a_day(
        self, client, coordinator, program, value
    ):
        client.force_login(coordinator)
        response = client.get(reverse("programs:week_grid", args=[program.pk]), {"add": value})
        assert response.status_code == 200
        html = response.content.decode()
        day_select = html[
            html.index('name="date"') : html.index("</select>", html.index('name="date"'))
        ]
        assert "<option" in day_select and "selected" not in day_select

    @pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
    def test_moving_an_activity_outside_the_range_is_refused(
        self, client, coordinator, program, value
    ):
        activity = add_activity(program, program.start_date, "10:00", "11:00")
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:activity_move", args=[program.pk, activity.pk]),
            {"date": value, "start_time": "23:30"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert f'<p class="message message--error">{MESSAGE_JA}</p>' in response.content.decode()
        activity.refresh_from_db()
        assert activity.date == program.start_date and activity.start_time == time(10, 0)


class TestHelpers:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("2000-01-01", date(2000, 1, 1)),
            ("2100-12-31", date(2100, 12, 31)),
            ("1999-12-31", None),
            ("2101-01-01", None),
            ("", None),
            (None, None),
            ("2026-02-30", None),
            ("２０２６-１２-０１", None),
        ],
    )
    def test_query_date(self, raw, expected):
        assert date_range.query_date(raw) == expected

    def test_add_days_holds_at_the_ends_of_the_calendar(self):
        assert date_range.add_days(date(9999, 12, 30), 90) == date.max
        assert date_range.add_days(date(1, 1, 2), -7) == date.min
        assert date_range.add_days(date(2100, 12, 31), 90) == date(2101, 3, 31)

    def test_week_range_at_the_ends_of_the_calendar(self):
        assert week_service.week_range(date(9999, 12, 31)) == (date(9999, 12, 27), date.max)
        assert week_service.week_range(date(2000, 1, 1)) == (
            date(1999, 12, 27),
            date(2000, 1, 2),
        )
