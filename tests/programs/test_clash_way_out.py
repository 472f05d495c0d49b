"""A clash refusal with a way out: the refusal keeps the other slot, the page names and links
it by the rules of privacy, and the coordinator's own activity of the week can be deleted or
moved later in the same transaction as the save (programs/services/week.py, make_room)."""

from datetime import date, time

import pytest
from django.urls import reverse

from programs import way_out
from programs.models import Activity, ActivityLog
from programs.services import week as service
from programs.services.week import PUSH, REPLACE, MakeRoom

from ..factories import ProgramFactory, add_activity, enrol

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)


def slot(start, end, title="新しい活動", day=MON, **changes) -> service.Slot:
    return service.Slot(
        date=day,
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        title=title,
        kind="work",
        **changes,
    )


def refusal(program, typed, by, **kwargs) -> service.ActivityRefused:
    with pytest.raises(service.ActivityRefused) as excinfo:
        service.save_activity(program, typed, by=by, **kwargs)
    return excinfo.value


def week_state(*programs):
    """Every activity of these programs as it stands: what "nothing changed" compares."""
    return list(
        Activity.objects.filter(program__in=programs)
        .order_by("pk")
        .values_list("pk", "date", "start_time", "end_time", "cancelled_at", "sequence")
    )


class TestTheRefusalKeepsTheOtherSlot:
    def test_two_slots_for_everyone(self, program, coordinator):
        other = add_activity(program, MON, "10:00", "12:00", "午前の研修")
        assert refusal(program, slot("11:00", "13:00"), coordinator).clash == other

    def test_a_trainee_in_another_program(self, program, other_program, trainee, coordinator):
        enrol(program, trainee)
        enrol(other_program, trainee)
        other = add_activity(other_program, MON, "10:00", "12:00", "地域DXワークショップ")
        assert refusal(program, slot("11:00", "13:00"), coordinator).clash == other

    def test_a_facilitator_booked_elsewhere(self, program, other_program, staff, coordinator):
        other = add_activity(other_program, MON, "10:00", "12:00", facilitator=staff)
        refused = refusal(program, slot("11:00", "13:00", facilitator=staff), coordinator)
        assert refused.clash == other and refused.field == "facilitator"

    def test_an_enrolment_into_a_clash(self, program, other_program, trainee, coordinator):
        from programs.services.programs import ProgramRefused

        add_activity(program, MON, "10:00", "12:00")
        enrol(other_program, trainee)
        other = add_activity(other_program, MON, "11:00", "12:00")
        with pytest.raises(ProgramRefused) as excinfo:
            service.check_trainee_free(program, trainee, coordinator)
        assert excinfo.value.clash == other

    def test_a_refusal_for_another_reason_names_no_slot(self, program, coordinator):
        assert refusal(program, slot("11:00", "10:00"), coordinator).clash is None


class TestTheLink:
    def context(self, program, user, typed, refused=None):
        refused = refused or refusal(program, typed, user)
        return way_out.clash_context(refused, program, user, typed)

    def test_an_activity_of_the_same_week_opens_in_the_editor_with_both_ways_out(
        self, program, coordinator
    ):
        other = add_activity(program, MON, "10:00", "11:00", "朝会")
        shown = self.context(program, coordinator, slot("10:30", "11:30"))
        week = reverse("programs:week_grid", args=[program.pk])
        assert shown["url"] == f"{week}?edit={other.pk}"
        assert "朝会" in shown["text"] and shown["pk"] == other.pk
        assert shown["replace"] == "「朝会」を削除して保存"
        assert shown["push"] == "「朝会」を後ろにずらして保存"

    def test_no_move_past_midnight(self, program, coordinator):
        add_activity(program, MON, "21:00", "23:00", "夜の会")
        shown = self.context(program, coordinator, slot("22:00", "23:30"))
        assert shown["replace"] and not shown["push"]

    def test_a_seminar_opens_its_own_page_and_offers_no_way_out(
        self, program, trainee, coordinator
    ):
        from seminars.services import seminars as seminar_services

        from ..seminars.conftest import seminar_plan

        enrol(program, trainee)
        seminar = seminar_services.save_seminar(
            program, seminar_plan(day="11-30", start="13:30", end="15:00"), by=coordinator
        )
        shown = self.context(program, coordinator, slot("14:00", "16:00"))
        assert shown["url"] == reverse("seminars:seminar_detail", args=[program.pk, seminar.pk])
        assert shown["text"].startswith("セミナー：「初心者ワーカー向け説明会」")
        assert not shown["replace"] and not shown["push"]

    def test_another_program_of_the_host_links_to_its_week(
        self, program, host, trainee, coordinator
    ):
        sibling = ProgramFactory(host=host, title="別コース")
        enrol(program, trainee)
        enrol(sibling, trainee)
        add_activity(sibling, MON, "10:00", "12:00", "先約の講義")
        shown = self.context(program, coordinator, slot("11:00", "13:00"))
        assert shown["url"] == reverse("programs:week_grid", args=[sibling.pk])
        assert "先約の講義" in shown["text"] and "別コース" in shown["text"]
        assert not shown["replace"] and not shown["push"]

    def test_another_hosts_activity_is_its_time_only(
        self, program, other_program, trainee, coordinator
    ):
        enrol(program, trainee)
        enrol(other_program, trainee)
        add_activity(other_program, MON, "10:00", "12:00", "地域DXワークショップ")
        shown = self.context(program, coordinator, slot("11:00", "13:00"))
        assert shown["url"] == "" and "10:00〜12:00" in shown["text"]
        assert "地域DXワークショップ" not in str(shown) and "地域DX研修" not in str(shown)
        assert not shown["replace"] and not shown["push"]

    def test_no_way_out_for_someone_who_cannot_edit_the_program(self, program, staff):
        add_activity(program, MON, "10:00", "11:00", "朝会")
        shown = self.context(program, staff, slot("10:30", "11:30"))
        assert shown["url"] == reverse("programs:week_grid", args=[program.pk])
        assert not shown["replace"] and not shown["push"]

    def test_no_box_without_a_clash(self, program, coordinator):
        typed = slot("11:00", "10:00")
        assert self.context(program, coordinator, typed) is None


def actions() -> list[tuple[str, str]]:
    return list(
        ActivityLog.objects.filter(action__startswith="activity.")
        .order_by("pk")
        .values_list("action", "target_id")
    )


class TestReplace:
    def test_the_other_is_deleted_and_this_one_saved_both_recorded(self, program, coordinator):
        other = add_activity(program, MON, "10:00", "11:00", "朝会")
        before = ActivityLog.objects.count()
        saved = service.save_activity(
            program, slot("10:30", "11:30"), by=coordinator, make_room=MakeRoom(REPLACE, other.pk)
        )
        other.refresh_from_db()
        assert other.cancelled_at is not None and other.sequence == 1
        assert list(program.activities.live()) == [saved]
        assert actions()[-2:] == [
            ("activity.cancelled", str(other.pk)),
            ("activity.created", str(saved.pk)),
        ]
        assert ActivityLog.objects.count() == before + 2

    def test_a_second_clash_changes_nothing(self, program, coordinator):
        first = add_activity(program, MON, "10:00", "11:00", "朝会")
        add_activity(program, MON, "11:00", "12:00", "勉強会")
        before = week_state(program)
        refused = refusal(
            program, slot("10:30", "11:30"), coordinator, make_room=MakeRoom(REPLACE, first.pk)
        )
        assert "勉強会" in refused.message and refused.clash.title == "勉強会"
        assert week_state(program) == before
        assert not ActivityLog.objects.filter(action="activity.cancelled").exists()

    def test_a_change_of_an_activity_replaces_too(self, program, coordinator):
        mine = add_activity(program, MON, "09:00", "10:00", "自分の活動")
        other = add_activity(program, MON, "10:00", "11:00", "朝会")
        service.save_activity(
            program,
            slot("10:00", "11:00", title="自分の活動"),
            by=coordinator,
            activity=mine,
            make_room=MakeRoom(REPLACE, other.pk),
        )
        mine.refresh_from_db()
        assert mine.start_time == time(10) and not program.activities.live().filter(pk=other.pk)


class TestPush:
    def test_the_other_moves_after_this_one_same_length(self, program, coordinator):
        other = add_activity(program, MON, "10:00", "11:30", "朝会")
        saved = service.save_activity(
            program, slot("09:30", "10:30"), by=coordinator, make_room=MakeRoom(PUSH, other.pk)
        )
        other.refresh_from_db()
        assert (other.date, other.start_time, other.end_time) == (MON, time(10, 30), time(12))
        assert other.cancelled_at is None and other.sequence == 1
        assert actions()[-2:] == [
            ("activity.changed", str(other.pk)),
            ("activity.created", str(saved.pk)),
        ]

    def test_onto_the_old_time_of_the_activity_being_changed(self, program, coordinator):
        """A 13:00 lecture brought forward to 12:00 pushes lunch to 13:00, the lecture's own
        old time: no conflict with a slot that moves in the same save."""
        lunch = add_activity(program, MON, "12:00", "13:00", "昼食")
        lecture = add_activity(program, MON, "13:00", "14:00", "講義")
        service.save_activity(
            program,
            slot("12:00", "13:00", title="講義"),
            by=coordinator,
            activity=lecture,
            make_room=MakeRoom(PUSH, lunch.pk),
        )
        lunch.refresh_from_db()
        lecture.refresh_from_db()
        assert (lecture.start_time, lunch.start_time, lunch.end_time) == (
            time(12),
            time(13),
            time(14),
        )

    def test_a_moved_slot_that_clashes_changes_nothing(self, program, coordinator):
        other = add_activity(program, MON, "10:00", "11:00", "朝会")
        add_activity(program, MON, "11:30", "12:00", "勉強会")
        before = week_state(program)
        refused = refusal(
            program, slot("10:30", "11:30"), coordinator, make_room=MakeRoom(PUSH, other.pk)
        )
        assert refused.message.startswith("「朝会」を11:30〜12:30にずらせません：")
        assert "勉強会" in refused.message
        assert week_state(program) == before

    def test_past_midnight_is_refused(self, program, coordinator):
        other = add_activity(program, MON, "21:00", "23:00", "夜の会")
        before = week_state(program)
        refused = refusal(
            program, slot("22:00", "23:30"), coordinator, make_room=MakeRoom(PUSH, other.pk)
        )
        assert "日付をまたぎます" in refused.message
        assert week_state(program) == before


class TestAForgedPk:
    """The posted pk is checked: an activity of this program, live, typed in its week, in
    the way. Anything else is refused and nothing changes."""

    @pytest.fixture
    def scene(self, program, other_program, staff):
        """The slot typed (10:30–11:30, led by `staff`) clashes with 朝会 of this week and
        with another host's activity led by the same person."""
        return {
            "elsewhere": add_activity(other_program, MON, "10:00", "11:00", facilitator=staff),
            "in_the_way": add_activity(program, MON, "10:00", "11:00", "朝会"),
            "afternoon": add_activity(program, MON, "15:00", "16:00", "午後の会"),
        }

    def assert_refused_unchanged(self, program, other_program, coordinator, pk, expected):
        from programs.models import User

        staff = User.objects.get(email="staff@example.org")
        before = week_state(program, other_program)
        logged = ActivityLog.objects.count()
        for how in (REPLACE, PUSH):
            typed = slot("10:30", "11:30", facilitator=staff)
            refused = refusal(program, typed, coordinator, make_room=MakeRoom(how, pk))
            assert expected in refused.message
        assert week_state(program, other_program) == before
        assert ActivityLog.objects.count() == logged

    def test_another_programs_activity(self, scene, program, other_program, coordinator):
        pk = scene["elsewhere"].pk
        expected = "その予定はこの週にありません"
        self.assert_refused_unchanged(program, other_program, coordinator, pk, expected)

    def test_a_cancelled_one(self, scene, program, other_program, coordinator):
        gone = add_activity(program, MON, "10:00", "11:00", "消した会", participants=[])
        service.cancel_activity(gone, by=coordinator)
        expected = "その予定はこの週にありません"
        self.assert_refused_unchanged(program, other_program, coordinator, gone.pk, expected)

    def test_one_that_does_not_clash(self, scene, program, other_program, coordinator):
        pk = scene["afternoon"].pk
        expected = "「午後の会」はこの予定と重なっていません"
        self.assert_refused_unchanged(program, other_program, coordinator, pk, expected)

    def test_a_derived_one(self, scene, program, other_program, coordinator):
        from seminars.services import seminars as seminar_services

        from ..seminars.conftest import seminar_plan

        seminar_services.save_seminar(
            program, seminar_plan(day="11-30", start="13:30", end="15:00"), by=coordinator
        )
        derived = program.activities.live().get(origin__startswith="seminar:")
        expected = "セミナーから作られた予定です"
        self.assert_refused_unchanged(program, other_program, coordinator, derived.pk, expected)

    def test_no_such_activity(self, scene, program, other_program, coordinator):
        expected = "その予定はこの週にありません"
        self.assert_refused_unchanged(program, other_program, coordinator, 10**9, expected)


class TestTheEditor:
    def post(self, client, program, extra=None, **fields):
        data = {
            "date": "2026-11-30",
            "start_time": "10:30",
            "end_time": "11:30",
            "title": "新しい活動",
            "kind": "work",
            "for_all": "on",
            **fields,
            **(extra or {}),
        }
        return client.post(
            reverse("programs:activity_create", args=[program.pk]), data, HTTP_HX_REQUEST="true"
        )

    def test_the_refusal_links_the_other_and_offers_both_ways(self, client, program, coordinator):
        other = add_activity(program, MON, "10:00", "11:00", "朝会")
        client.force_login(coordinator)
        page = self.post(client, program).content.decode()
        assert 'class="clash-way-out"' in page
        assert f'href="/programs/{program.pk}/week/?edit={other.pk}"' in page
        assert f'name="replace" value="{other.pk}"' in page
        assert f'name="push" value="{other.pk}"' in page
        # The buttons come after Save, which stays the button Enter presses.
        assert page.index(">保存</button>") < page.index('name="replace"')

    def test_replace_through_the_page(self, client, program, coordinator):
        other = add_activity(program, MON, "10:00", "11:00", "朝会")
        client.force_login(coordinator)
        page = self.post(client, program, {"replace": str(other.pk)}).content.decode()
        assert "保存しました：「新しい活動」" in page and "削除しました：「朝会」" in page
        assert [a.title for a in program.activities.live()] == ["新しい活動"]

    def test_push_through_the_page_without_javascript(self, client, program, coordinator):
        other = add_activity(program, MON, "10:00", "11:00", "朝会")
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:activity_create", args=[program.pk]),
            {
                "date": "2026-11-30",
                "start_time": "10:30",
                "end_time": "11:30",
                "title": "新しい活動",
                "kind": "work",
                "for_all": "on",
                "push": str(other.pk),
            },
            follow=True,
        )
        assert "移動しました：「朝会」" in response.content.decode()
        other.refresh_from_db()
        assert other.start_time == time(11, 30)

    def test_a_pk_that_is_no_number_is_not_found(self, client, program, coordinator):
        add_activity(program, MON, "10:00", "11:00", "朝会")
        client.force_login(coordinator)
        assert self.post(client, program, {"replace": "1e5"}).status_code == 404
        assert program.activities.live().count() == 1

    def test_another_hosts_slot_shows_no_link(
        self, client, program, other_program, trainee, coordinator
    ):
        enrol(program, trainee)
        enrol(other_program, trainee)
        add_activity(other_program, MON, "10:00", "12:00", "地域DXワークショップ")
        client.force_login(coordinator)
        page = self.post(client, program).content.decode()
        box = page[page.index('class="clash-way-out"') :]
        box = box[: box.index("</div>")]
        assert "10:00〜12:00" in box and "<a " not in box and "replace" not in box
        assert "地域DXワークショップ" not in page
