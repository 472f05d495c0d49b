"""Direct manipulation of the week grid, through its views: resizing an activity (its bottom
edge dragged, or 「15分短く」/「15分長く」), opening the editor of an activity drawn on empty
time, and 元に戻す after 削除. Every change goes through the week's rules."""

import re
from datetime import date, time

import pytest
from django.urls import reverse

from programs.models import Activity, ActivityLog, Status
from programs.services import week as service

from ..factories import ProgramFactory, add_activity, enrol

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)
TUE = date(2026, 12, 1)
HTMX = {"HTTP_HX_REQUEST": "true"}


def times(activity):
    activity.refresh_from_db()
    return activity.date, activity.start_time, activity.end_time


def resize(client, activity, **data):
    url = reverse("programs:activity_resize", args=[activity.program_id, activity.pk])
    return client.post(url, data, **HTMX)


def restore(client, activity, **headers):
    url = reverse("programs:activity_restore", args=[activity.program_id, activity.pk])
    return client.post(url, **headers)


def derived_leg(program, trainee, coordinator):
    """A trip's leg (07:00–08:40 on Tuesday): an activity that changes only on its trip."""
    from seminars.services import legs, trips

    from ..seminars.conftest import leg_plan, plan

    trip = trips.save_trip(program, plan(program, [enrol(program, trainee)]), by=coordinator)
    legs.save_leg(trip, leg_plan("12-01 07:00", "12-01 08:40"), by=coordinator)
    return Activity.objects.get(program=program, origin__gt="")


class TestResize:
    def test_buttons_and_a_dragged_edge_change_the_end_and_keep_the_start(
        self, client, coordinator, program
    ):
        activity = add_activity(program, MON, "10:00", "11:00")
        client.force_login(coordinator)
        response = resize(client, activity, direction="longer")
        assert times(activity) == (MON, time(10), time(11, 15))
        page = response.content.decode()
        assert page.lstrip().startswith('<div id="week-region"')
        assert "長さを変更しました：" in page and "message--error" not in page
        resize(client, activity, direction="shorter")
        resize(client, activity, direction="shorter")
        assert times(activity) == (MON, time(10), time(10, 45))
        resize(client, activity, end_time="12:30")
        assert times(activity) == (MON, time(10), time(12, 30))
        assert activity.sequence == 4
        assert ActivityLog.objects.filter(action="activity.changed").count() == 4

    def test_a_clash_is_refused_naming_both_and_nothing_changes(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:00", "研修A")
        add_activity(program, MON, "11:00", "12:00", "研修B")
        client.force_login(coordinator)
        page = resize(client, activity, end_time="11:30").content.decode()
        assert "message--error" in page
        assert (
            "研修生全員の予定が重なります：「研修A」" in page and "「研修B」（11/30 11:00" in page
        )
        assert times(activity) == (MON, time(10), time(11))
        assert activity.sequence == 0

    def test_past_midnight_is_refused(self, client, coordinator, program):
        activity = add_activity(program, MON, "23:00", "23:45")
        client.force_login(coordinator)
        page = resize(client, activity, direction="longer").content.decode()
        assert "活動は日付をまたげません。" in page and "message--error" in page
        page = resize(client, activity, end_time="24:00").content.decode()
        assert "時刻が正しくありません。" in page
        assert times(activity) == (MON, time(23), time(23, 45))

    def test_shorter_than_nothing_is_refused(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "10:15")
        client.force_login(coordinator)
        page = resize(client, activity, direction="shorter").content.decode()
        assert "終了時刻は開始時刻より後にしてください。" in page
        assert times(activity) == (MON, time(10), time(10, 15))

    def test_a_reported_program_does_not_change(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:00")
        program.status = Status.REPORTED
        program.save(update_fields=["status"])
        client.force_login(coordinator)
        page = resize(client, activity, direction="longer").content.decode()
        assert "報告済み" in page and "message--error" in page
        assert times(activity) == (MON, time(10), time(11))

    def test_a_derived_activity_is_refused_and_not_draggable(
        self, client, coordinator, program, trainee
    ):
        leg = derived_leg(program, trainee, coordinator)
        client.force_login(coordinator)
        page = resize(client, leg, direction="longer").content.decode()
        assert "message--error" in page and "そちらで変更してください" in page
        assert times(leg) == (TUE, time(7), time(8, 40))
        grid = client.get(reverse("programs:week_grid", args=[program.pk])).content.decode()
        (cell,) = [c for c in grid.split("<article ")[1:] if "kind-trip" in c.split(">")[0]]
        assert "act--editable" not in cell and "data-move" not in cell
        assert "act__resize" not in cell[: cell.index("</article>")]
        assert f'href="/programs/{program.pk}/trips/' in cell  # its own page

    def test_without_javascript_the_editor_page_says_it(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:00", "長さを変える")
        client.force_login(coordinator)
        url = reverse("programs:activity_resize", args=[program.pk, activity.pk])
        response = client.post(url, {"direction": "longer"}, follow=True)
        assert response.redirect_chain[-1][0].endswith(f"?edit={activity.pk}")
        assert "長さを変更しました：「長さを変える」" in response.content.decode()


def test_the_grid_marks_what_can_be_dragged_and_says_where(client, coordinator, program):
    activity = add_activity(program, MON, "09:10", "10:40", "ずれた時刻")
    client.force_login(coordinator)
    page = client.get(reverse("programs:week_grid", args=[program.pk])).content.decode()
    base = reverse("programs:activity_create", args=[program.pk])
    assert f'data-move="{base}{activity.pk}/move/"' in page
    assert f'data-resize="{base}{activity.pk}/resize/"' in page
    assert 'data-start="09:10" data-end="10:40"' in page
    assert 'data-date="2026-11-30"' in page and 'data-first-minute="480"' in page
    assert "interact.min.js" in page and 'class="act__resize"' in page
    assert 'title="09:10〜10:40 ずれた時刻"' in page  # the whole title, when the cell is short


def test_a_reader_gets_no_drag(client, staff, program):
    add_activity(program, MON, "09:00", "10:00")
    client.force_login(staff)
    page = client.get(reverse("programs:week_grid", args=[program.pk])).content.decode()
    assert "interact.min.js" not in page and "act--editable" not in page
    assert "data-first-minute" not in page and "week-drag-token" not in page


class TestNewFromADrag:
    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            ("13:00", "14:30", ("13:00", "14:30")),
            ("13:00", "12:00", ("13:00", "14:00")),  # before the start: an hour
            ("13:00", "nonsense", ("13:00", "14:00")),
            ("13:00", "25:00", ("13:00", "14:00")),
            ("nonsense", "10:00", ("09:00", "10:00")),
        ],
    )
    def test_the_editor_opens_from_start_to_end(
        self, client, coordinator, program, start, end, expected
    ):
        client.force_login(coordinator)
        url = reverse("programs:week_grid", args=[program.pk])
        response = client.get(url, {"add": "2026-12-01", "start": start, "end": end}, **HTMX)
        page = response.content.decode()
        assert re.search(r'<option value="2026-12-01" selected', page)
        shown = tuple(
            re.search(rf'type="time" name="{name}" value="([0-9:]+)"', page).group(1)
            for name in ("start_time", "end_time")
        )
        assert shown == expected


class TestRestore:
    def test_delete_offers_undo_and_undo_puts_it_back(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:00", "消してから戻す")
        client.force_login(coordinator)
        week = reverse("programs:week_grid", args=[program.pk])
        cancel = reverse("programs:activity_cancel", args=[program.pk, activity.pk])
        page = client.post(cancel, **HTMX).content.decode()
        assert "削除しました：「消してから戻す」" in page and "元に戻す" in page
        assert reverse("programs:activity_restore", args=[program.pk, activity.pk]) in page
        assert "消してから戻す" not in client.get(week).content.decode().split("week-grid")[1]
        activity.refresh_from_db()
        assert activity.cancelled_at is not None and activity.sequence == 1

        page = restore(client, activity, **HTMX).content.decode()
        assert "元に戻しました：「消してから戻す」" in page
        activity.refresh_from_db()
        assert activity.cancelled_at is None and activity.sequence == 2
        assert ActivityLog.objects.filter(action="activity.restored").count() == 1
        # The week's cached board was bumped: the grid draws it again.
        assert 'class="act kind-work' in client.get(week).content.decode()

    def test_without_javascript_the_next_page_offers_undo(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:00", "消す活動")
        client.force_login(coordinator)
        cancel = reverse("programs:activity_cancel", args=[program.pk, activity.pk])
        response = client.post(cancel, follow=True)
        assert response.redirect_chain[-1][0].endswith(f"?deleted={activity.pk}")
        page = response.content.decode()
        assert "削除しました：「消す活動」" in page and "data-undo" in page
        response = restore(client, activity, follow=True)
        assert "元に戻しました：「消す活動」" in response.content.decode()
        activity.refresh_from_db()
        assert activity.cancelled_at is None
        # Once back, the old link offers nothing more.
        again = client.get(
            reverse("programs:week_grid", args=[program.pk]), {"deleted": activity.pk}
        )
        assert "data-undo" not in again.content.decode()

    def test_a_taken_slot_is_refused_with_the_clash(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:00", "消した活動")
        client.force_login(coordinator)
        service.cancel_activity(activity, by=coordinator)
        add_activity(program, MON, "10:30", "11:30", "後から入れた活動")
        page = restore(client, activity, **HTMX).content.decode()
        assert "message--error" in page and "消した活動" in page and "後から入れた活動" in page
        activity.refresh_from_db()
        assert activity.cancelled_at is not None and activity.sequence == 1
        assert not ActivityLog.objects.filter(action="activity.restored").exists()

    def test_a_trainee_taken_elsewhere_is_refused(
        self, client, coordinator, program, other_program, trainee
    ):
        enrol(program, trainee)
        enrol(other_program, trainee)
        activity = add_activity(program, MON, "10:00", "11:00", "消した活動")
        service.cancel_activity(activity, by=coordinator)
        add_activity(other_program, MON, "10:00", "12:00", "他社の予定")
        client.force_login(coordinator)
        page = restore(client, activity, **HTMX).content.decode()
        assert "message--error" in page and "他社の予定" not in page  # named by its time only
        activity.refresh_from_db()
        assert activity.cancelled_at is not None

    def test_outside_the_program_now_is_refused(self, client, coordinator, program):
        activity = add_activity(program, date(2026, 12, 4), "10:00", "11:00")
        service.cancel_activity(activity, by=coordinator)
        program.end_date = date(2026, 12, 3)
        program.save(update_fields=["end_date"])
        client.force_login(coordinator)
        page = restore(client, activity, **HTMX).content.decode()
        assert "message--error" in page and "2026-12-04" in page
        activity.refresh_from_db()
        assert activity.cancelled_at is not None

    def test_a_live_activity_is_not_restored_twice(self, client, coordinator, program):
        activity = add_activity(program, MON, "10:00", "11:00", "まだある")
        client.force_login(coordinator)
        page = restore(client, activity, **HTMX).content.decode()
        assert "「まだある」はすでに週間予定にあります。" in page
        activity.refresh_from_db()
        assert activity.sequence == 0

    def test_a_derived_activity_is_refused(self, client, coordinator, program, trainee):
        leg = derived_leg(program, trainee, coordinator)
        Activity.objects.filter(pk=leg.pk).update(cancelled_at="2026-11-01T00:00:00Z")
        client.force_login(coordinator)
        page = restore(client, leg, **HTMX).content.decode()
        assert "message--error" in page and "そちらで変更してください" in page
        leg.refresh_from_db()
        assert leg.cancelled_at is not None


@pytest.fixture
def scene(program, coordinator, other_trainee):
    activity = add_activity(program, MON, "10:00", "11:00", "活動")
    deleted = add_activity(program, MON, "13:00", "14:00", "消した")
    service.cancel_activity(deleted, by=coordinator)
    return {"activity": activity, "deleted": deleted}


def new_posts(program, scene):
    return [
        (
            reverse("programs:activity_resize", args=[program.pk, scene["activity"].pk]),
            {"direction": "longer"},
        ),
        (reverse("programs:activity_restore", args=[program.pk, scene["deleted"].pk]), {}),
    ]


def unchanged(scene):
    assert times(scene["activity"]) == (MON, time(10), time(11))
    scene["deleted"].refresh_from_db()
    assert scene["deleted"].cancelled_at is not None


class TestWhoMay:
    def test_an_outsider_gets_404(self, client, program, scene, outsider):
        client.force_login(outsider)
        for url, data in new_posts(program, scene):
            assert client.post(url, data).status_code == 404, url
        unchanged(scene)

    def test_anonymous_is_sent_to_log_in(self, client, program, scene):
        for url, data in new_posts(program, scene):
            response = client.post(url, data)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        unchanged(scene)

    def test_a_trainee_of_another_program_gets_404(self, client, program, scene, other_trainee):
        enrol(ProgramFactory(title="別の研修"), other_trainee)
        client.force_login(other_trainee)
        for url, data in new_posts(program, scene):
            assert client.post(url, data).status_code == 404, url
        unchanged(scene)

    def test_the_programs_own_trainee_and_staff_read_only(
        self, client, program, scene, trainee, staff
    ):
        """Those who may read the week cannot change it (403, as every write of the program)."""
        enrol(program, trainee)
        for person in (trainee, staff):
            client.force_login(person)
            for url, data in new_posts(program, scene):
                assert client.post(url, data).status_code == 403, (person, url)
        unchanged(scene)

    def test_a_deleted_activity_of_another_program_is_404(
        self, client, coordinator, program, host, scene
    ):
        other = ProgramFactory(host=host, title="同じ会社の別の研修")
        client.force_login(coordinator)
        url = reverse("programs:activity_restore", args=[other.pk, scene["deleted"].pk])
        assert client.post(url).status_code == 404
        unchanged(scene)

    def test_the_undo_notice_is_only_for_those_who_may_edit(
        self, client, program, scene, staff, coordinator
    ):
        url = reverse("programs:week_grid", args=[program.pk])
        query = {"deleted": scene["deleted"].pk}
        client.force_login(staff)
        assert "data-undo" not in client.get(url, query).content.decode()
        client.force_login(coordinator)
        assert "data-undo" in client.get(url, query).content.decode()
