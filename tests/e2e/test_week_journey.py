"""A coordinator builds a week in the browser; the trainee sees it in their week and feed."""

from datetime import date

import icalendar
import pytest
import vobject
from playwright.sync_api import expect

from ..factories import ProgramFactory, add_activity, enrol
from . import steps
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def builtin_template(db):
    """The built-in template comes from a data migration, which the flush after an earlier
    transactional test removed: run that migration's function again."""
    import importlib

    from django.apps import apps

    importlib.import_module("programs.migrations.0003_builtin_week_template").create(apps, None)


@pytest.fixture
def scene(registered, other_host):
    trainee = registered
    elsewhere = ProgramFactory(
        host=other_host,
        title="他社の研修",
        start_date=date(2027, 1, 18),  # a week with no holiday (1/11 is 成人の日)
        end_date=date(2027, 1, 22),
    )
    enrol(elsewhere, trainee)
    add_activity(elsewhere, date(2027, 1, 18), "12:00", "12:45", "昼の打ち合わせ")
    return {"trainee": trainee}


def test_coordinator_builds_the_week_and_the_trainee_sees_it(
    page, browser, live_server, shoot, screenshots_dir, scene, coordinator, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, coordinator.email)

    program = steps.program_from_template(
        page, live_server, shoot, "ITベンチャー研修 1月", "2027-01-18", "2027-01-22"
    )
    steps.enrol_from_roster(page, live_server, shoot, program, scene["trainee"].email, tmp_path)
    steps.move_then_clash(page, live_server, shoot, program)

    # 5. A draft stays with the host; once published, the trainee sees the moved activity
    # in their week (phone) and in their feed.
    trainee_page = browser.new_page(viewport={"width": 360, "height": 740})
    log_in(trainee_page, live_server, scene["trainee"].email)
    trainee_page.goto(f"{live_server.url}/my/week/?week=2027-01-18")
    assert not trainee_page.get_by_text("17:15〜17:45").is_visible()
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    steps.publish_through_the_checklist(page)
    trainee_page.goto(f"{live_server.url}/my/week/?week=2027-01-18")
    assert trainee_page.get_by_text("17:15〜17:45").is_visible()
    trainee_page.screenshot(
        path=str(screenshots_dir / "week-06-trainee-week-phone.png"), full_page=True
    )
    # A week outside the dates Kenshu keeps (a hand-edited link): this week, and it says so.
    trainee_page.goto(f"{live_server.url}/my/week/?week=9999-12-31")
    expect(trainee_page.get_by_role("status")).to_contain_text("「9999-12-31」の週は表示できません")
    trainee_page.screenshot(
        path=str(screenshots_dir / "week-06b-trainee-week-unknown.png"), full_page=True
    )
    trainee_page.goto(f"{live_server.url}/calendar/")
    # A GET makes no address: the calendar's button does, then the page shows it.
    trainee_page.get_by_role("button", name="このカレンダーのアドレスを発行").first.click()
    trainee_page.wait_for_load_state()
    feed_url = trainee_page.locator("input.feed-url").first.input_value()
    body = trainee_page.request.get(feed_url).body()
    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    reflection = events["1日目の振り返り"]
    assert reflection.decoded("DTSTART").strftime("%H:%M") == "17:15"
    assert int(reflection["SEQUENCE"]) == 1
    parsed = vobject.readOne(body.decode())
    assert "1日目の振り返り" in {e.summary.value for e in parsed.vevent_list}
    trainee_page.close()
