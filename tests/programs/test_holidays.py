"""National holidays and a host's closed days: the template and the copy skip them, the grid
names them, and the closed-days page (who may see and change it, what it refuses)."""

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import translation

from programs import calendar_days
from programs.models import ClosedDay, WeekTemplate
from programs.services import closed_days as closed_services
from programs.services import week as service
from programs.services import week_templates

from ..factories import ProgramFactory, add_activity, count_queries, enrol

pytestmark = pytest.mark.django_db

# Golden Week 2027: 4/29 昭和の日 (Thu), 5/3 憲法記念日, 5/4 みどりの日, 5/5 こどもの日.
GW_START, GW_END = date(2027, 4, 26), date(2027, 5, 7)
GW_HOLIDAYS = {
    date(2027, 4, 29): "昭和の日",
    date(2027, 5, 3): "憲法記念日",
    date(2027, 5, 4): "みどりの日",
    date(2027, 5, 5): "こどもの日",
}
GW_WORKING_DAYS = [
    date(2027, 4, 26),
    date(2027, 4, 27),
    date(2027, 4, 28),
    date(2027, 4, 30),
    date(2027, 5, 6),
    date(2027, 5, 7),
]
NEW_YEAR = (date(2026, 12, 29), date(2027, 1, 3))


@pytest.fixture
def golden_week(host, coordinator):
    """A program over Golden Week 2027 built from the built-in template, 土日祝を除く."""
    program = ProgramFactory(host=host, title="GW研修", start_date=GW_START, end_date=GW_END)
    template = WeekTemplate.objects.get(host__isnull=True)
    week_templates.apply_template(program, template, skip_weekends=True, by=coordinator)
    return program


@pytest.fixture
def new_year(host, coordinator):
    """The host closed 12/29〜1/3, and a program over the turn of the year."""
    closed_services.add_closed_days(
        host, name="年末年始", start_date=NEW_YEAR[0], end_date=NEW_YEAR[1], by=coordinator
    )
    return ProgramFactory(
        host=host,
        title="年末年始をまたぐ研修",
        start_date=date(2026, 12, 28),
        end_date=date(2027, 1, 8),
    )


def test_the_holidays_come_from_the_package_named_in_japanese_or_english():
    assert calendar_days.national_holidays(GW_START, GW_END) == GW_HOLIDAYS
    with translation.override("en"):
        assert calendar_days.national_holidays(date(2027, 4, 29), date(2027, 4, 29)) == {
            date(2027, 4, 29): "Showa Day"
        }
    assert calendar_days.national_holidays(date(2026, 11, 23), date(2026, 11, 23)) == {
        date(2026, 11, 23): "勤労感謝の日"
    }
    # Outside the accepted dates (rows written before the range existed): none, no error.
    assert calendar_days.national_holidays(date(9999, 12, 1), date(9999, 12, 31)) == {}


def test_a_template_over_golden_week_skips_the_holidays_and_weekends(golden_week):
    dates = sorted(set(golden_week.activities.values_list("date", flat=True)))
    assert dates == GW_WORKING_DAYS[:5]  # the five-day template, on the first five working days
    assert not set(dates) & set(GW_HOLIDAYS)
    assert golden_week.activities.count() == 16


def test_kept_days_off_put_the_template_on_the_calendar_days(host, coordinator):
    program = ProgramFactory(host=host, start_date=GW_START, end_date=GW_END)
    template = WeekTemplate.objects.get(host__isnull=True)
    week_templates.apply_template(program, template, skip_weekends=False, by=coordinator)
    assert date(2027, 4, 29) in set(program.activities.values_list("date", flat=True))


def test_the_grid_names_the_holidays(client, coordinator, golden_week):
    client.force_login(coordinator)
    page = client.get(reverse("programs:week_grid", args=[golden_week.pk])).content.decode()
    for name in GW_HOLIDAYS.values():
        assert f'<span class="day-off">{name}</span>' in page
    assert page.count("is-day-off") == 2 * len(GW_HOLIDAYS)  # the head and the column


def test_the_trainees_week_names_the_holidays(client, trainee, golden_week):
    enrol(golden_week, trainee)
    client.force_login(trainee)
    page = client.get(reverse("programs:trainee_week"), {"week": "2027-05-03"}).content.decode()
    assert "憲法記念日" in page and "みどりの日" in page and "こどもの日" in page


def test_copying_a_week_skips_the_holidays(host, coordinator, program):
    add_activity(program, date(2026, 12, 1), "10:00", "11:00", "火曜の活動")
    add_activity(program, date(2026, 12, 3), "10:00", "11:00", "木曜の活動")
    target = ProgramFactory(host=host, start_date=GW_START, end_date=GW_END)
    week_templates.copy_week(program, target, skip_weekends=True, by=coordinator)
    # Day 2 and day 4 of the working days: 4/27, and 4/30 (4/29 is 昭和の日).
    assert sorted(target.activities.values_list("date", flat=True)) == [
        date(2027, 4, 27),
        date(2027, 4, 30),
    ]


def test_a_copy_refuses_an_activity_on_a_day_off_unless_days_off_are_kept(
    host, coordinator, golden_week
):
    add_activity(golden_week, date(2027, 5, 4), "10:00", "11:00", "祝日の見学")
    target = ProgramFactory(host=host, start_date=date(2027, 6, 7), end_date=date(2027, 6, 18))
    with pytest.raises(service.ActivityRefused) as excinfo:
        week_templates.copy_week(golden_week, target, skip_weekends=True, by=coordinator)
    assert "祝日の見学" in excinfo.value.message
    assert not target.activities.exists()


class TestClosedDays:
    def test_apply_and_copy_skip_them(self, host, coordinator, program, new_year):
        template = WeekTemplate.objects.get(host__isnull=True)
        week_templates.apply_template(new_year, template, skip_weekends=True, by=coordinator)
        assert sorted(set(new_year.activities.values_list("date", flat=True))) == [
            date(2026, 12, 28),
            date(2027, 1, 4),
            date(2027, 1, 5),
            date(2027, 1, 6),
            date(2027, 1, 7),
        ]
        add_activity(program, date(2026, 12, 1), "10:00", "11:00", "二日目")
        copy = ProgramFactory(host=host, start_date=date(2026, 12, 28), end_date=date(2027, 1, 8))
        week_templates.copy_week(program, copy, skip_weekends=True, by=coordinator)
        assert list(copy.activities.values_list("date", flat=True)) == [date(2027, 1, 4)]

    def test_another_hosts_closed_days_do_not_count(self, other_host, outsider, new_year):
        assert calendar_days.days_off(other_host.pk, *NEW_YEAR) == {date(2027, 1, 1): "元日"}

    def test_the_grid_names_them_and_a_holiday_keeps_its_name(self, client, coordinator, new_year):
        client.force_login(coordinator)
        page = client.get(reverse("programs:week_grid", args=[new_year.pk])).content.decode()
        assert page.count('<span class="day-off">年末年始</span>') == 2 * 5  # head and list
        assert '<span class="day-off">元日</span>' in page

    def test_the_page_adds_and_removes_them(self, client, coordinator, host):
        client.force_login(coordinator)
        url = reverse("programs:closed_days", args=[host.pk])
        response = client.post(
            url,
            {"name": "夏季休業", "start_date": "2027-08-12", "end_date": "2027-08-16"},
            follow=True,
        )
        closed = ClosedDay.objects.get(host=host)
        assert (closed.name, closed.start_date, closed.end_date) == (
            "夏季休業",
            date(2027, 8, 12),
            date(2027, 8, 16),
        )
        page = response.content.decode()
        assert "2027年8月12日（木）〜8月16日（月）" in page
        client.post(reverse("programs:closed_day_remove", args=[host.pk, closed.pk]))
        assert not ClosedDay.objects.exists()

    def test_one_day_needs_no_last_day(self, client, coordinator, host):
        client.force_login(coordinator)
        client.post(
            reverse("programs:closed_days", args=[host.pk]),
            {"name": "創立記念日", "start_date": "2027-06-01", "end_date": ""},
        )
        closed = ClosedDay.objects.get(host=host)
        assert closed.start_date == closed.end_date == date(2027, 6, 1)

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            (
                {"name": "逆", "start_date": "2027-01-03", "end_date": "2026-12-29"},
                "end_date",
                "最終日が初日より前です。",
            ),
            (
                {"name": "長い", "start_date": "2027-01-01", "end_date": "2027-03-01"},
                "end_date",
                "31日まで",
            ),
            (
                {"name": "重なり", "start_date": "2027-01-02", "end_date": "2027-01-05"},
                "start_date",
                "「年末年始」",
            ),
            (
                {"name": "範囲外", "start_date": "2101-01-01", "end_date": ""},
                "start_date",
                "2100年12月31日",
            ),
        ],
    )
    def test_bad_input_is_refused_next_to_its_field_with_the_text_kept(
        self, client, coordinator, host, new_year, data, field, message
    ):
        client.force_login(coordinator)
        response = client.post(reverse("programs:closed_days", args=[host.pk]), data)
        assert response.status_code == 200
        form = response.context["form"]
        assert message in " ".join(form.errors[field])
        assert f'value="{data["name"]}"' in response.content.decode()
        assert ClosedDay.objects.count() == 1  # the new year's only

    def test_staff_read_but_do_not_change(self, client, staff, host, new_year):
        closed = ClosedDay.objects.get()
        client.force_login(staff)
        url = reverse("programs:closed_days", args=[host.pk])
        page = client.get(url)
        assert page.status_code == 200 and "年末年始" in page.content.decode()
        assert 'name="start_date"' not in page.content.decode()
        data = {"name": "夏季休業", "start_date": "2027-08-12", "end_date": ""}
        assert client.post(url, data).status_code == 403
        remove = reverse("programs:closed_day_remove", args=[host.pk, closed.pk])
        assert client.post(remove).status_code == 403
        assert ClosedDay.objects.count() == 1

    def test_an_outsider_gets_404_and_a_visitor_logs_in(self, client, outsider, host, new_year):
        closed = ClosedDay.objects.get()
        urls = [
            reverse("programs:closed_days", args=[host.pk]),
            reverse("programs:closed_day_remove", args=[host.pk, closed.pk]),
        ]
        for url in urls:
            response = client.post(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert "/accounts/login/" in client.get(urls[0])["Location"]
        client.force_login(outsider)
        assert client.get(urls[0]).status_code == 404
        for url in urls:
            assert client.post(url, {"name": "x", "start_date": "2027-08-12"}).status_code == 404
        assert ClosedDay.objects.count() == 1

    def test_another_hosts_closed_day_is_not_found_through_mine(
        self, client, coordinator, outsider, host, other_host
    ):
        theirs = closed_services.add_closed_days(
            other_host, name="他社の休業日", start_date=date(2027, 8, 12), by=outsider
        )
        client.force_login(coordinator)
        url = reverse("programs:closed_day_remove", args=[host.pk, theirs.pk])
        assert client.post(url).status_code == 404
        assert ClosedDay.objects.filter(pk=theirs.pk).exists()

    def test_reachable_from_the_people_page_and_the_templates_page(
        self, client, coordinator, host, program
    ):
        client.force_login(coordinator)
        url = reverse("programs:closed_days", args=[host.pk])
        assert url in client.get(reverse("programs:host_people", args=[host.pk])).content.decode()
        tools = client.get(reverse("programs:week_tools", args=[program.pk])).content.decode()
        assert url in tools and "土日祝を除く" in tools

    def test_the_list_reads_a_fixed_number_of_queries(self, client, coordinator, host):
        client.force_login(coordinator)
        url = reverse("programs:closed_days", args=[host.pk])
        closed_services.add_closed_days(
            host, name="一日", start_date=date(2027, 6, 1), by=coordinator
        )
        few, _ = count_queries(client, url)
        for month in range(7, 12):
            closed_services.add_closed_days(
                host, name=f"{month}月", start_date=date(2027, month, 1), by=coordinator
            )
        many, ctx = count_queries(client, url)
        assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)


def test_a_weekend_day_with_only_a_placeholder_is_a_training_day(coordinator, host):
    """A trip over a weekend, still to plan: its Saturday is a training day already (the
    reflection is due), as it will be once the legs take the placeholder's place."""
    from programs.services.placeholders import placeholders_left
    from programs.services.week import Slot, save_activity

    program = ProgramFactory(host=host, start_date=date(2027, 1, 22), end_date=date(2027, 1, 25))
    saturday = date(2027, 1, 23)
    assert saturday not in calendar_days.training_days_by_program([program])[program.pk]
    save_activity(
        program,
        Slot(saturday, time(9), time(12), "移動（出張）", "trip", placeholder=True),
        by=coordinator,
    )
    assert placeholders_left(program).count() == 1
    assert saturday in calendar_days.training_days_by_program([program])[program.pk]
