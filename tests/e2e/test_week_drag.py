"""A coordinator edits the week grid directly: drags an activity to another day and time,
drags its bottom edge, draws a new one on empty time, sees a clash refused with the grid as it
was, does the same move with the editor's buttons and with the keyboard, and puts a deleted
activity back with 元に戻す. The database is checked after each."""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from programs.models import Activity

from ..factories import ProgramFactory, add_activity
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MON, TUE, WED = date(2027, 1, 18), date(2027, 1, 19), date(2027, 1, 20)


@pytest.fixture
def week(host, coordinator):
    program = ProgramFactory(
        host=host, title="ITベンチャー研修 1月", start_date=MON, end_date=date(2027, 1, 22)
    )
    return {
        "program": program,
        "intro": add_activity(program, MON, "09:00", "09:30", "オリエンテーション・自己紹介"),
        "service": add_activity(program, MON, "10:00", "12:00", "サービス体験"),
        "reflection": add_activity(program, MON, "16:00", "16:30", "1日目の振り返り"),
        "lunch": add_activity(program, TUE, "12:00", "13:00", "昼の打ち合わせ"),
    }


def stored(activity):
    activity.refresh_from_db()
    return activity.date, activity.start_time, activity.end_time


def geometry(page, day: date) -> dict:
    """Where a day's column is, and how tall a quarter hour is, in the page's pixels."""
    return page.evaluate(
        """iso => {
            const grid = document.querySelector('.week-grid[data-first-minute]');
            const column = grid.querySelector(`.week-grid__day[data-date="${iso}"]`);
            const r = column.getBoundingClientRect();
            const rows = +grid.dataset.rows;
            return {left: r.left, width: r.width, top: r.top, quarter: r.height / rows,
                    first: +grid.dataset.firstMinute};
        }""",
        day.isoformat(),
    )


def y_of(g: dict, clock: str) -> float:
    """The middle of the quarter hour that starts at `clock`."""
    h, m = map(int, clock.split(":"))
    return g["top"] + ((h * 60 + m - g["first"]) / 15 + 0.5) * g["quarter"]


def cell(page, title: str):
    return page.locator(".week-grid .act", has_text=title)


def settled(page):
    """The week's region is swapped after each change: wait until htmx has finished (no
    request, swap or settle under way), then a little, as a person's next move would."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.wait_for_timeout(200)


def drag(page, start: tuple[float, float], end: tuple[float, float], shot=None):
    settled(page)  # a drag started mid-swap grabs a slot that is about to go
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 3, start[1] + 3, steps=2)
    page.mouse.move(*end, steps=12)
    if shot:
        shot()
    page.mouse.up()


def notice(page):
    return page.locator("#week-region .week-notice")


def test_drag_resize_create_and_undo(page, live_server, shoot, week, coordinator):
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, live_server, coordinator.email)
    program = week["program"]
    page.goto(f"{live_server.url}/programs/{program.pk}/week/")

    # A 30-minute slot shows its whole title on hover (over its neighbours) and keeps `title`.
    intro = cell(page, "オリエンテーション・自己紹介")
    before = intro.bounding_box()
    intro.hover()
    after = intro.bounding_box()
    assert after["height"] > before["height"]
    assert intro.locator("a").get_attribute("title") == "09:00〜09:30 オリエンテーション・自己紹介"
    shoot("week-drag-01-short-slot-expanded")

    # Drag サービス体験 (Mon 10:00–12:00) to Tuesday 14:00, keeping its length.
    service = cell(page, "サービス体験")
    box = service.bounding_box()
    tue = geometry(page, TUE)
    grab = (box["x"] + box["width"] / 2, box["y"] + 8)
    target = (tue["left"] + tue["width"] / 2, grab[1] + 16 * tue["quarter"])  # 4 hours later
    drag(page, grab, target, shot=lambda: shoot("week-drag-02-dragging"))
    expect(notice(page)).to_contain_text("移動しました")
    assert stored(week["service"]) == (TUE, time(14), time(16))
    expect(cell(page, "サービス体験")).to_contain_text("14:00〜16:00")

    # Its bottom edge, dragged two quarter hours up: it ends at 15:30.
    edge = cell(page, "サービス体験").locator(".act__resize").bounding_box()
    start = (edge["x"] + edge["width"] / 2, edge["y"] + edge["height"] / 2)
    drag(page, start, (start[0], start[1] - 2 * tue["quarter"]))
    expect(notice(page)).to_contain_text("長さを変更しました")
    assert stored(week["service"]) == (TUE, time(14), time(15, 30))

    # Dropped onto 昼の打ち合わせ (Tue 12:00–13:00, for everyone): refused, nothing moves.
    box = cell(page, "サービス体験").bounding_box()
    grab = (box["x"] + box["width"] / 2, box["y"] + 8)
    drag(page, grab, (grab[0], grab[1] - 8 * tue["quarter"]))  # 12:00
    expect(notice(page).locator(".message--error")).to_contain_text("昼の打ち合わせ")
    assert stored(week["service"]) == (TUE, time(14), time(15, 30))
    expect(cell(page, "サービス体験")).to_contain_text("14:00〜15:30")
    shoot("week-drag-03-clash-refused")

    # Drawn on Wednesday's empty time from 13:00 to 14:30: the editor opens with those times.
    wed = geometry(page, WED)
    x = wed["left"] + wed["width"] / 2
    drag(page, (x, y_of(wed, "13:00")), (x, y_of(wed, "14:15")))
    editor = page.locator(".week-editor")
    expect(editor.get_by_label("開始")).to_have_value("13:00")
    expect(editor.get_by_label("終了")).to_have_value("14:30")
    expect(editor.locator("#id_date")).to_have_value(WED.isoformat())
    editor.get_by_label("タイトル").fill("地域の事業者訪問")
    editor.get_by_role("button", name="保存").click()
    expect(notice(page)).to_contain_text("保存しました")
    created = Activity.objects.get(program=program, title="地域の事業者訪問")
    assert stored(created) == (WED, time(13), time(14, 30))

    moved_three_ways(page, week)
    delete_then_undo(page, shoot, week)


def moved_three_ways(page, week):
    """1日目の振り返り, Mon 16:00 → Tue 16:15: by dragging, by the editor's buttons and by the
    keyboard, each giving the same stored date and times (and back by buttons and keys)."""
    reflection = week["reflection"]
    there, back = (TUE, time(16, 15), time(16, 45)), (MON, time(16), time(16, 30))
    box = cell(page, "1日目の振り返り").bounding_box()
    grab = (box["x"] + box["width"] / 2, box["y"] + 5)
    tue = geometry(page, TUE)  # the editor is open: the columns are narrower
    drag(page, grab, (tue["left"] + tue["width"] / 2, grab[1] + tue["quarter"]))
    expect(notice(page)).to_contain_text("移動しました")
    assert stored(reflection) == there

    # Back with the buttons, by the pointer.
    editor = page.locator(".week-editor")
    expect(editor.get_by_label("タイトル")).to_have_value("1日目の振り返り")
    editor.get_by_role("button", name="前日").click()
    expect(notice(page)).to_contain_text("1/18")
    editor.get_by_role("button", name="15分早く").click()
    expect(notice(page)).to_contain_text("16:00")
    assert stored(reflection) == back
    # And there again with them.
    editor.get_by_role("button", name="翌日").click()
    expect(notice(page)).to_contain_text("1/19")
    editor.get_by_role("button", name="15分遅く").click()
    expect(notice(page)).to_contain_text("16:15")
    assert stored(reflection) == there

    # With the keyboard only: Escape closes the editor; the cell is opened with Space, then
    # Enter; the buttons pressed with Enter and Space.
    page.keyboard.press("Escape")
    expect(page.locator(".week-editor")).to_have_count(0)
    # The grid is swapped in before htmx has wired its links (in the settle that follows): a
    # key pressed in between would follow the link as a plain page load.
    settled(page)
    cell(page, "1日目の振り返り").locator("a").focus()
    page.keyboard.press("Space")
    expect(editor.get_by_label("タイトル")).to_have_value("1日目の振り返り")
    settled(page)
    expect(page.locator("#editor-heading")).to_be_focused()
    editor.get_by_role("button", name="前日").focus()
    page.keyboard.press("Enter")
    expect(notice(page)).to_contain_text("1/18")
    settled(page)
    expect(page.locator("#editor-heading")).to_be_focused()
    editor.get_by_role("button", name="15分早く").focus()
    page.keyboard.press("Space")
    expect(notice(page)).to_contain_text("16:00")
    assert stored(reflection) == back
    page.keyboard.press("Escape")
    expect(page.locator(".week-editor")).to_have_count(0)
    # The grid is swapped in before htmx has wired its links (in the settle that follows): a
    # key pressed in between would follow the link as a plain page load.
    settled(page)
    cell(page, "1日目の振り返り").locator("a").focus()
    page.keyboard.press("Enter")
    settled(page)
    expect(page.locator("#editor-heading")).to_be_focused()
    editor.get_by_role("button", name="翌日").focus()
    page.keyboard.press("Space")
    expect(notice(page)).to_contain_text("1/19")
    settled(page)
    expect(page.locator("#editor-heading")).to_be_focused()
    editor.get_by_role("button", name="15分遅く").focus()
    page.keyboard.press("Enter")
    expect(notice(page)).to_contain_text("16:15")
    assert stored(reflection) == there

    # Its length, by the buttons, as the dragged edge does.
    editor.get_by_role("button", name="15分長く").click()
    expect(notice(page)).to_contain_text("長さを変更しました")
    assert stored(reflection) == (TUE, time(16, 15), time(17))
    editor.get_by_role("button", name="15分短く").focus()
    page.keyboard.press("Enter")
    expect(notice(page)).to_contain_text("16:45")
    assert stored(reflection) == there


def delete_then_undo(page, shoot, week):
    reflection = week["reflection"]
    page.clock.install()
    cell(page, "1日目の振り返り").locator("a").click()
    expect(notice(page)).to_have_text("")  # the editor opened: the last notice is gone
    page.locator(".week-editor").get_by_role("button", name="削除").click()
    expect(notice(page)).to_contain_text("削除しました：「1日目の振り返り」")
    undo = notice(page).get_by_role("button", name="元に戻す")
    expect(undo).to_be_visible()
    expect(cell(page, "1日目の振り返り")).to_have_count(0)
    reflection.refresh_from_db()
    assert reflection.cancelled_at is not None
    shoot("week-drag-04-undo-notice")
    undo.click()
    expect(notice(page)).to_contain_text("元に戻しました：「1日目の振り返り」")
    expect(cell(page, "1日目の振り返り")).to_have_count(1)
    reflection.refresh_from_db()
    assert reflection.cancelled_at is None
    assert stored(reflection) == (TUE, time(16, 15), time(16, 45))

    # Offered for about ten seconds: after that the notice stays, the button goes.
    cell(page, "1日目の振り返り").locator("a").click()
    expect(notice(page)).to_have_text("")  # the editor opened: the last notice is gone
    page.locator(".week-editor").get_by_role("button", name="削除").click()
    expect(undo).to_be_visible()
    page.clock.run_for(11_000)
    expect(undo).to_be_hidden()
    expect(notice(page)).to_contain_text("削除しました")
