from datetime import date, time

import pytest
from django.urls import reverse

from programs.models import Activity, WeekTemplate
from programs.services import week as service
from programs.services import week_templates
from programs.services.programs import ProgramRefused

from ..factories import ProgramFactory, add_activity, enrol

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)


def test_activity_must_lie_inside_the_program(program):
    with pytest.raises(service.ActivityRefused) as excinfo:
        add_activity(program, date(2026, 12, 5), "10:00", "11:00")
    assert excinfo.value.field == "date"
    with pytest.raises(service.ActivityRefused):
        add_activity(program, MON, "11:00", "10:00")
    assert not Activity.objects.exists()


def test_trainee_in_two_places_across_programs_names_both_slots(program, other_program, trainee):
    enrol(program, trainee)
    enrol(other_program, trainee)
    add_activity(other_program, MON, "10:00", "12:00", "地域DXワークショップ")
    with pytest.raises(service.ActivityRefused) as excinfo:
        add_activity(program, MON, "11:00", "13:00", "サービス体験")
    message = excinfo.value.message
    # Both slots are named; another host's program keeps its titles to itself.
    assert "サービス体験" in message and "10:00〜12:00" in message
    assert "地域DXワークショップ" not in message and "地域DX研修" not in message
    # Touching ends are not a conflict.
    add_activity(program, MON, "12:00", "13:00", "昼の活動")


def test_a_program_of_the_same_host_is_named(program, host, trainee, coordinator):
    sibling = ProgramFactory(host=host, title="別コース")
    enrol(program, trainee)
    enrol(sibling, trainee)
    add_activity(sibling, MON, "10:00", "12:00", "先約の講義")
    with pytest.raises(service.ActivityRefused) as excinfo:
        add_activity(program, MON, "11:00", "13:00", "サービス体験", by=coordinator)
    assert "先約の講義" in excinfo.value.message and "別コース" in excinfo.value.message


def test_slots_for_everyone_never_overlap_even_before_enrolment(program):
    add_activity(program, MON, "10:00", "12:00", "午前の研修")
    with pytest.raises(service.ActivityRefused) as excinfo:
        add_activity(program, MON, "11:00", "13:00", "重なる研修")
    assert "午前の研修" in excinfo.value.message


def test_reenrolment_checks_the_slots_the_trainee_was_named_in(program, other_program, trainee):
    from programs.services.programs import withdraw

    enrollment = enrol(program, trainee)
    add_activity(program, MON, "10:00", "11:00", "個別面談", participants=[enrollment])
    withdraw(enrollment, by=None)
    enrol(other_program, trainee)
    add_activity(other_program, MON, "10:00", "11:00", "他社の活動")
    with pytest.raises(ProgramRefused):
        enrol(program, trainee)


def test_named_participants_only_clash_for_themselves(program, trainee, tagawa):
    from ..factories import TraineeProfileFactory

    other = TraineeProfileFactory(municipality=tagawa).user
    first, second = enrol(program, trainee), enrol(program, other)
    add_activity(program, MON, "10:00", "11:00", "Aさんの面談", participants=[first])
    add_activity(program, MON, "10:00", "11:00", "Bさんの面談", participants=[second])
    with pytest.raises(service.ActivityRefused):
        add_activity(program, MON, "10:30", "11:30", "全員の活動")


def test_withdrawn_trainee_no_longer_clashes(program, other_program, trainee):
    from programs.services.programs import withdraw

    enrol(program, trainee)
    other_enrollment = enrol(other_program, trainee)
    add_activity(other_program, MON, "10:00", "12:00")
    withdraw(other_enrollment, by=None)
    add_activity(program, MON, "10:00", "12:00")


def test_facilitator_double_booked_across_programs(program, other_program, staff):
    add_activity(other_program, MON, "13:00", "15:00", "別会社の講義", facilitator=staff)
    with pytest.raises(service.ActivityRefused) as excinfo:
        add_activity(program, MON, "14:00", "16:00", "説明会", facilitator=staff)
    assert excinfo.value.field == "facilitator"
    message = excinfo.value.message
    assert "説明会" in message and "13:00〜15:00" in message and "別会社の講義" not in message


def test_moving_onto_its_own_old_time_is_not_a_conflict(program, trainee, coordinator):
    enrol(program, trainee)
    activity = add_activity(program, MON, "10:00", "12:00", "活動")
    slot = service.Slot(
        date=MON, start_time=time(10, 30), end_time=time(12, 30), title="活動", kind="work"
    )
    moved = service.save_activity(program, slot, by=coordinator, activity=activity)
    assert (moved.start_time, moved.sequence) == (time(10, 30), 1)


def test_enrolment_that_would_clash_is_refused(program, other_program, trainee):
    add_activity(program, MON, "10:00", "12:00", "オリエンテーション")
    enrol(other_program, trainee)
    add_activity(other_program, MON, "11:00", "12:00", "別の研修の活動")
    with pytest.raises(ProgramRefused) as excinfo:
        enrol(program, trainee)
    assert "オリエンテーション" in excinfo.value.message
    assert not program.enrollments.exists()


class TestTemplates:
    def test_builtin_template_reproduces_the_design_week(self, program, coordinator):
        template = WeekTemplate.objects.get(host__isnull=True)
        created = week_templates.apply_template(
            program, template, skip_weekends=True, by=coordinator
        )
        assert len(created) == template.items.count() == 16
        titles_by_day = {}
        for a in created:
            titles_by_day.setdefault(a.date, []).append(a.title)
        assert any("箕輪町" in t for t in titles_by_day[date(2026, 12, 1)])
        assert any("セミナー" in t for t in titles_by_day[date(2026, 12, 2)])
        assert any("インタビュー" in t for t in titles_by_day[date(2026, 12, 4)])

    def test_weekends_skipped_or_kept(self, host, coordinator):
        friday = ProgramFactory(
            host=host, start_date=date(2026, 12, 4), end_date=date(2026, 12, 10)
        )
        template = WeekTemplate.objects.get(host__isnull=True)
        week_templates.apply_template(friday, template, skip_weekends=True, by=coordinator)
        dates = sorted(set(friday.activities.values_list("date", flat=True)))
        assert dates == [
            date(2026, 12, 4),
            date(2026, 12, 7),
            date(2026, 12, 8),
            date(2026, 12, 9),
            date(2026, 12, 10),
        ]

    def test_a_template_longer_than_the_program_writes_nothing(self, host, coordinator):
        short = ProgramFactory(host=host, start_date=MON, end_date=date(2026, 12, 2))
        with pytest.raises(service.ActivityRefused):
            week_templates.apply_template(
                short,
                WeekTemplate.objects.get(host__isnull=True),
                skip_weekends=True,
                by=coordinator,
            )
        assert not short.activities.exists()

    def test_save_a_week_and_copy_it(self, program, host, coordinator):
        add_activity(program, MON, "09:00", "10:00", "朝会")
        add_activity(program, date(2026, 12, 2), "13:00", "15:00", "勉強会")
        template = week_templates.save_as_template(program, "うちの週", by=coordinator)
        # A week with no national holiday (2027-01-11 is 成人の日).
        later = ProgramFactory(host=host, start_date=date(2027, 1, 18), end_date=date(2027, 1, 22))
        week_templates.apply_template(later, template, skip_weekends=True, by=coordinator)
        assert list(later.activities.values_list("date", "title")) == [
            (date(2027, 1, 18), "朝会"),
            (date(2027, 1, 20), "勉強会"),
        ]
        copy = ProgramFactory(host=host, start_date=date(2027, 2, 1), end_date=date(2027, 2, 5))
        week_templates.copy_week(program, copy, skip_weekends=True, by=coordinator)
        assert copy.activities.count() == 2
        assert WeekTemplate.objects.visible_to(coordinator).filter(name="うちの週").exists()


class TestGridPages:
    def test_htmx_add_refused_keeps_the_text_and_names_both_slots(
        self, client, coordinator, program, other_program, trainee
    ):
        enrol(program, trainee)
        enrol(other_program, trainee)
        add_activity(other_program, MON, "10:00", "12:00", "先約")
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:activity_create", args=[program.pk]),
            {
                "date": "2026-11-30",
                "start_time": "11:00",
                "end_time": "12:00",
                "title": "重なる活動",
                "kind": "work",
                "for_all": "on",
                "notes": "メモです",
            },
            HTTP_HX_REQUEST="true",
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert page.lstrip().startswith('<div id="week-region"')
        assert "10:00〜12:00" in page and 'value="重なる活動"' in page and "メモです" in page
        assert not program.activities.exists()

    def test_move_buttons_keep_the_length(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:30")
        client.force_login(coordinator)
        url = reverse("programs:activity_move", args=[program.pk, activity.pk])
        client.post(url, {"direction": "next-day"}, HTTP_HX_REQUEST="true")
        client.post(url, {"direction": "later"}, HTTP_HX_REQUEST="true")
        activity.refresh_from_db()
        assert (activity.date, activity.start_time, activity.end_time) == (
            date(2026, 12, 1),
            time(10, 15),
            time(11, 45),
        )
        assert activity.sequence == 2

    def test_delete_cancels_and_hides(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:00", "消す活動")
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:activity_cancel", args=[program.pk, activity.pk]), follow=True
        )
        activity.refresh_from_db()
        assert activity.cancelled_at is not None
        page = response.content.decode()
        assert "削除しました：「消す活動」" in page  # the notice (with 元に戻す); no cell draws it
        assert 'class="act kind-' not in page and 'class="list-act kind-' not in page
        assert page.count("予定はありません。") == len(program.days)

    def test_the_week_grid_shows_a_trainee_only_their_own_slots(
        self, client, program, trainee, tagawa, supervisor, other_trainee
    ):
        from ..factories import TraineeProfileFactory

        mine = enrol(program, trainee)
        neighbour = enrol(program, TraineeProfileFactory(municipality=tagawa).user)
        stranger = enrol(program, other_trainee)
        add_activity(program, MON, "09:00", "10:00", "全員の朝会")
        add_activity(program, MON, "10:00", "11:00", "自分の面談", participants=[mine])
        add_activity(program, MON, "10:00", "11:00", "隣の人の面談", participants=[neighbour])
        add_activity(program, MON, "10:00", "11:00", "北見の人の面談", participants=[stranger])
        url = reverse("programs:week_grid", args=[program.pk])
        client.force_login(trainee)
        page = client.get(url).content.decode()
        assert "自分の面談" in page and "全員の朝会" in page
        assert "隣の人の面談" not in page and "北見の人の面談" not in page
        client.force_login(supervisor)  # 田川市: their two trainees' slots, not 北見's
        page = client.get(url).content.decode()
        assert "自分の面談" in page and "隣の人の面談" in page and "北見の人の面談" not in page

    def test_the_trainee_week_shows_only_their_activities(
        self, client, program, trainee, tagawa, monkeypatch
    ):
        from django.utils import timezone

        from ..factories import TraineeProfileFactory

        monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 12, 1))
        mine = enrol(program, trainee)
        theirs = enrol(program, TraineeProfileFactory(municipality=tagawa).user)
        add_activity(program, MON, "09:00", "10:00", "全員の朝会")
        add_activity(program, MON, "10:00", "11:00", "自分の面談", participants=[mine])
        add_activity(program, MON, "10:00", "11:00", "他の人の面談", participants=[theirs])
        client.force_login(trainee)
        page = client.get(reverse("programs:trainee_week")).content.decode()
        assert "全員の朝会" in page and "自分の面談" in page and "他の人の面談" not in page
        assert 'aria-current="date"' in page


class TestTemplatePages:
    def test_apply_copy_and_save_through_the_page(self, client, coordinator, program, host):
        client.force_login(coordinator)
        template = WeekTemplate.objects.get(host__isnull=True)
        client.post(
            reverse("programs:week_apply_template", args=[program.pk]),
            {"apply-template": template.pk, "apply-skip_weekends": "on"},
        )
        assert program.activities.count() == 16
        client.post(
            reverse("programs:week_save_template", args=[program.pk]), {"name": "保存した週"}
        )
        assert WeekTemplate.objects.filter(host=host, name="保存した週").exists()
        # A week with no national holiday (2027-01-11 is 成人の日).
        later = ProgramFactory(host=host, start_date=date(2027, 1, 18), end_date=date(2027, 1, 22))
        client.post(
            reverse("programs:week_copy", args=[later.pk]),
            {"copy-source": program.pk, "copy-skip_weekends": "on"},
        )
        assert later.activities.count() == 16

    def test_another_hosts_template_cannot_be_applied(
        self, client, coordinator, outsider, program, other_program
    ):
        add_activity(other_program, MON, "10:00", "11:00")
        theirs = week_templates.save_as_template(other_program, "他社の週", by=outsider)
        client.force_login(coordinator)
        client.post(
            reverse("programs:week_apply_template", args=[program.pk]),
            {"apply-template": theirs.pk, "apply-skip_weekends": "on"},
        )
        client.post(
            reverse("programs:week_copy", args=[program.pk]),
            {"copy-source": other_program.pk, "copy-skip_weekends": "on"},
        )
        assert not program.activities.exists()


def test_copying_with_weekends_skipped_keeps_weekday_positions(host, coordinator):
    friday_start = ProgramFactory(
        host=host, start_date=date(2026, 12, 4), end_date=date(2026, 12, 8)
    )  # Fri..Tue
    add_activity(friday_start, date(2026, 12, 7), "10:00", "11:00", "月曜の活動")
    # A week with no national holiday (2027-01-11 is 成人の日).
    target = ProgramFactory(host=host, start_date=date(2027, 1, 18), end_date=date(2027, 1, 22))
    week_templates.copy_week(friday_start, target, skip_weekends=True, by=coordinator)
    assert list(target.activities.values_list("date", flat=True)) == [date(2027, 1, 19)]
