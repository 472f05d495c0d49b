"""A coordinator types an activity over another of the same week: the refusal names and links
the other, and offers a way out without leaving the editor — delete the other and save, or move
it after this one and save. The refused editor passes axe-core."""

from datetime import date, time

import pytest
from playwright.sync_api import expect

from programs.models import Activity

from ..factories import ProgramFactory, add_activity
from .conftest import log_in
from .test_accessibility import audit, axe_source  # noqa: F401 -- axe_source is a fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MON, TUE = date(2027, 1, 18), date(2027, 1, 19)  # a week with no holiday


@pytest.fixture
def browser_context_args(browser_context_args):
    """The app's Content-Security-Policy forbids inline scripts, axe's among them."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def week(host, coordinator):
    program = ProgramFactory(
        host=host, title="ITベンチャー研修 1月", start_date=MON, end_date=date(2027, 1, 22)
    )
    return {
        "program": program,
        "meeting": add_activity(program, MON, "10:00", "11:00", "朝会"),
        "study": add_activity(program, TUE, "10:00", "11:00", "勉強会"),
    }


def type_activity(page, live_server, program, day: date, start: str, title: str):
    """Open the editor on a new activity at `day` `start` (an hour long) and save it."""
    page.goto(f"{live_server.url}/programs/{program.pk}/week/?add={day.isoformat()}&start={start}")
    editor = page.locator(".week-editor")
    editor.get_by_label("タイトル").fill(title)
    editor.get_by_role("button", name="保存", exact=True).click()
    expect(editor.locator(".clash-way-out")).to_be_visible()
    return editor


def test_replace_the_other_activity(page, live_server, shoot, axe_source, week, coordinator):  # noqa: F811
    program, meeting = week["program"], week["meeting"]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, coordinator.email)
    editor = type_activity(page, live_server, program, MON, "10:30", "顧客インタビュー")

    # The refusal says why next to the start, and names the other slot with a link to it.
    expect(editor.locator(".field-errors")).to_contain_text("研修生全員の予定が重なります")
    link = editor.locator(".clash-way-out").get_by_role("link")
    expect(link).to_contain_text("「朝会」")
    assert link.get_attribute("href") == f"/programs/{program.pk}/week/?edit={meeting.pk}"
    expect(editor.get_by_label("タイトル")).to_have_value("顧客インタビュー")
    shoot("clash-01-refused-with-a-way-out")
    audit(page, axe_source, "week editor, clash refused", "ja")

    editor.get_by_role("button", name="「朝会」を削除して保存").click()
    notice = page.locator("#week-region .week-notice")
    expect(notice).to_contain_text("保存しました：「顧客インタビュー」")
    expect(notice).to_contain_text("削除しました：「朝会」")
    grid = page.locator(".week-grid")
    expect(grid.get_by_role("link", name="顧客インタビュー")).to_be_visible()
    expect(grid.get_by_text("朝会")).to_have_count(0)
    shoot("clash-02-replaced")
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None
    assert program.activities.live().filter(title="顧客インタビュー", start_time=time(10, 30))


def test_move_the_other_activity_later(page, live_server, shoot, week, coordinator):
    program, study = week["program"], week["study"]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, coordinator.email)
    editor = type_activity(page, live_server, program, TUE, "09:30", "準備")
    shoot("clash-03-refused-before-the-move")

    editor.get_by_role("button", name="「勉強会」を後ろにずらして保存").click()
    notice = page.locator("#week-region .week-notice")
    expect(notice).to_contain_text("保存しました：「準備」")
    expect(notice).to_contain_text("移動しました：「勉強会」")
    grid = page.locator(".week-grid")
    expect(grid.get_by_role("link", name="勉強会")).to_contain_text("10:30〜11:30")
    shoot("clash-04-moved")
    study.refresh_from_db()
    assert (study.start_time, study.end_time, study.cancelled_at) == (
        time(10, 30),
        time(11, 30),
        None,
    )
    assert Activity.objects.filter(program=program, title="準備", end_time=time(10, 30)).exists()
