from datetime import date, timedelta

import pytest
from django.urls import reverse

from programs.models import ActivityLog, Program, Status, fiscal_year_of
from programs.services import programs as service

from ..factories import ProgramFactory, add_activity, table_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2027, 3, 31), 2026), (date(2027, 4, 1), 2027), (date(2026, 11, 30), 2026)],
)
def test_fiscal_year_runs_april_to_march(day, year, host):
    assert fiscal_year_of(day) == year
    program = ProgramFactory(host=host, start_date=day, end_date=day)
    assert Program.objects.get(pk=program.pk).fiscal_year == year


def test_dates_one_to_fourteen_days(host, coordinator):
    start = date(2026, 11, 30)
    with pytest.raises(service.ProgramRefused):
        service.save_program(
            Program(host=host, title="x", start_date=start, end_date=start - timedelta(days=1)),
            by=coordinator,
        )
    with pytest.raises(service.ProgramRefused):
        service.save_program(
            Program(host=host, title="x", start_date=start, end_date=start + timedelta(days=14)),
            by=coordinator,
        )
    service.save_program(
        Program(host=host, title="x", start_date=start, end_date=start + timedelta(days=13)),
        by=coordinator,
    )


def test_new_dates_must_keep_every_activity_inside(program, coordinator):
    add_activity(program, program.end_date, "10:00", "11:00", "最終日の活動")
    program.end_date -= timedelta(days=1)
    with pytest.raises(service.ProgramRefused) as excinfo:
        service.save_program(program, by=coordinator)
    assert "最終日の活動" in excinfo.value.message
    assert Program.objects.get(pk=program.pk).end_date == date(2026, 12, 4)


class TestStatus:
    def test_running_and_completed_follow_the_dates(self, program):
        assert program.effective_status_on(date(2026, 11, 29)) == Status.PUBLISHED
        assert program.effective_status_on(date(2026, 11, 30)) == Status.RUNNING
        assert program.effective_status_on(date(2026, 12, 5)) == Status.COMPLETED
        annotated = Program.objects.with_effective_status(date(2026, 12, 1)).get(pk=program.pk)
        assert annotated.effective_status == Status.RUNNING

    def test_only_allowed_moves(self, program, coordinator):
        before, during, after = date(2026, 11, 1), date(2026, 12, 1), date(2026, 12, 10)
        assert service.allowed_moves(program, before) == ["unpublish"]
        service.move_program(program, "unpublish", by=coordinator, today=before)
        assert program.status == Status.DRAFT
        with pytest.raises(service.ProgramRefused):
            service.move_program(program, "report", by=coordinator, today=before)
        service.move_program(program, "publish", by=coordinator, today=before)
        assert service.allowed_moves(program, during) == []
        with pytest.raises(service.ProgramRefused):  # running: no way back to draft
            service.move_program(program, "unpublish", by=coordinator, today=during)
        with pytest.raises(service.ProgramRefused):  # not completed yet
            service.move_program(program, "report", by=coordinator, today=during)
        assert service.allowed_moves(program, after) == ["report"]
        service.move_program(program, "report", by=coordinator, today=after)
        assert Program.objects.get(pk=program.pk).status == Status.REPORTED
        assert list(
            ActivityLog.objects.filter(action__startswith="program.")
            .values_list("action", flat=True)
            .order_by("pk")
        ) == ["program.unpublish", "program.publish", "program.report"]


class TestPages:
    def test_coordinator_creates_a_program(self, client, coordinator, host):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:program_create"),
            {
                "title": "ITベンチャー研修 12月",
                "scheme": "it_venture",
                "start_date": "2026-12-07",
                "end_date": "2026-12-11",
                "municipality_aims": "スピード感を知る\n意思決定を体験する",
                "host_aims": "",
                "reminder_time": "17:30",
                "reflection_deadline": "23:59",
            },
        )
        program = Program.objects.get(title="ITベンチャー研修 12月")
        assert response.url == reverse("programs:week_grid", args=[program.pk])
        assert program.municipality_aims == ["スピード感を知る", "意思決定を体験する"]
        assert program.host == host and program.status == Status.DRAFT

    def test_bad_dates_are_shown_next_to_the_field_and_kept(self, client, coordinator):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:program_create"),
            {
                "title": "長すぎる研修",
                "scheme": "it_venture",
                "start_date": "2026-12-01",
                "end_date": "2026-12-31",
                "reminder_time": "17:30",
                "reflection_deadline": "23:59",
            },
        )
        assert list(response.context["form"].errors) == ["end_date"]
        assert 'value="長すぎる研修"' in response.content.decode()
        assert not Program.objects.exists()

    def test_list_filters(self, client, coordinator, host, tagawa, trainee, monkeypatch):
        from django.utils import timezone

        from ..factories import enrol

        monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 12, 1))
        running = ProgramFactory(host=host, title="実施中の研修")
        ProgramFactory(
            host=host, title="昨年度の研修", start_date=date(2025, 6, 2), end_date=date(2025, 6, 6)
        )
        ProgramFactory(
            host=host,
            title="下書きの研修",
            status=Status.DRAFT,
            start_date=date(2027, 1, 11),
            end_date=date(2027, 1, 15),
        )
        enrol(running, trainee)
        client.force_login(coordinator)

        def titles(**params):
            response = client.get(reverse("programs:program_list"), params)
            return [row[0] for row in table_rows(response.content)]

        assert titles(status="running") == ["実施中の研修"]
        assert titles(fiscal_year=2025) == ["昨年度の研修"]
        assert titles(status="draft") == ["下書きの研修"]
        assert titles(municipality=tagawa.pk) == ["実施中の研修"]
        assert titles(q="昨年度") == ["昨年度の研修"]
        assert len(titles()) == 3


def test_a_reported_program_no_longer_changes(program, coordinator):
    from programs.services.week import ActivityRefused

    service.move_program(program, "report", by=coordinator, today=date(2026, 12, 10))
    program.title = "変えたい"
    with pytest.raises(service.ProgramRefused):
        service.save_program(program, by=coordinator)
    with pytest.raises(ActivityRefused):
        add_activity(program, date(2026, 11, 30), "10:00", "11:00")
