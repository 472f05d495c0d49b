"""A coordinator builds a week in the browser; the trainee sees it in their week and feed."""

from datetime import date

import icalendar
import pytest
import vobject
from playwright.sync_api import expect

from programs.models import Program

from ..factories import ProgramFactory, add_activity, enrol
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
        start_date=date(2027, 1, 11),
        end_date=date(2027, 1, 15),
    )
    enrol(elsewhere, trainee)
    add_activity(elsewhere, date(2027, 1, 11), "12:00", "12:45", "昼の打ち合わせ")
    return {"trainee": trainee}


def test_coordinator_builds_the_week_and_the_trainee_sees_it(
    page, browser, live_server, shoot, screenshots_dir, scene, coordinator, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, coordinator.email)

    # 1. A program from the template.
    page.goto(f"{live_server.url}/programs/new/")
    page.get_by_label("タイトル").fill("ITベンチャー研修 1月")
    page.get_by_label("開始日").fill("2027-01-11")
    page.get_by_label("終了日").fill("2027-01-15")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/week/")
    page.get_by_role("link", name="テンプレート").first.click()
    page.locator("#id_apply-template").select_option(label="ITベンチャー研修（1週間）")
    page.get_by_role("button", name="適用").click()
    page.wait_for_load_state()
    assert page.get_by_text("16件の活動を追加しました").is_visible()
    shoot("week-01-template-applied")
    program = Program.objects.get(title="ITベンチャー研修 1月")

    # 2. Trainees from a roster file: one registered, one new.
    roster = tmp_path / "名簿.csv"
    roster.write_bytes(
        (
            "氏名,メールアドレス,自治体コード,所属,職名\n"
            f"田中 翔,{scene['trainee'].email},402061,総務課,主事\n"
            "山本 彩花,ayaka@example.org,402061,産業振興課,主事\n"
        ).encode("cp932")
    )
    page.goto(f"{live_server.url}/programs/{program.pk}/roster/")
    page.get_by_label("名簿ファイル").set_input_files(str(roster))
    page.get_by_role("button", name="プレビュー").click()
    page.wait_for_load_state()
    shoot("week-02-roster-preview")
    page.get_by_role("button", name="確定").click()
    page.wait_for_load_state()
    assert page.get_by_text("1人を参加登録し、1人を招待しました").is_visible()
    shoot("week-03-enrolled")

    # 3. Move an activity a quarter hour later, in place.
    page.goto(f"{live_server.url}/programs/{program.pk}/week/")
    page.locator(".week-grid").get_by_role("link", name="1日目の振り返り").click()
    page.get_by_role("button", name="15分遅く").click()
    expect(page.locator("#week-region").get_by_text("移動しました")).to_be_visible()
    expect(page.locator(".week-grid").get_by_text("17:15–17:45")).to_be_visible()
    shoot("week-04-moved")

    # 4. A clash with the trainee's other program is refused, naming both slots.
    page.locator(".week-grid").get_by_role("link", name="オリエンテーション・自己紹介").click()
    expect(page.get_by_label("タイトル")).to_have_value("オリエンテーション・自己紹介")
    page.get_by_label("開始").fill("12:00")
    page.get_by_label("終了").fill("12:30")
    page.locator(".week-editor").get_by_role("button", name="保存").click()
    error = page.locator(".week-editor .message--error, .week-editor .errorlist").first
    error.wait_for()
    text = page.locator(".week-editor").inner_text()
    # The other host's program is named by its time only.
    assert "オリエンテーション・自己紹介" in text and "12:00–12:45" in text
    assert "昼の打ち合わせ" not in text
    assert page.get_by_label("開始").input_value() == "12:00"
    shoot("week-05-conflict")

    # 5. A draft stays with the host; once published, the trainee sees the moved activity
    # in their week (phone) and in their feed.
    trainee_page = browser.new_page(viewport={"width": 360, "height": 740})
    log_in(trainee_page, live_server, scene["trainee"].email)
    trainee_page.goto(f"{live_server.url}/my/week/?week=2027-01-11")
    assert not trainee_page.get_by_text("17:15–17:45").is_visible()
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_role("button", name="公開する").click()
    page.wait_for_load_state()
    trainee_page.goto(f"{live_server.url}/my/week/?week=2027-01-11")
    assert trainee_page.get_by_text("17:15–17:45").is_visible()
    trainee_page.screenshot(
        path=str(screenshots_dir / "week-06-trainee-week-phone.png"), full_page=True
    )
    trainee_page.goto(f"{live_server.url}/calendar/")
    feed_url = trainee_page.locator("input.feed-url").first.input_value()
    body = trainee_page.request.get(feed_url).body()
    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    reflection = events["1日目の振り返り"]
    assert reflection.decoded("DTSTART").strftime("%H:%M") == "17:15"
    assert int(reflection["SEQUENCE"]) == 1
    parsed = vobject.readOne(body.decode())
    assert "1日目の振り返り" in {e.summary.value for e in parsed.vevent_list}
    trainee_page.close()
