"""The trainee's journey on a 360×740 phone: today, the day's reflection written, the
connection lost while typing and the text saved once when it returns, submitted; the
coordinator's comment read; the survey after the program answered; the trip's itinerary
opened. Today is the program's last day, with a trip that evening."""

import re

import pytest
from playwright.sync_api import expect

from trainees.models import DailyReflection, ReflectionStatus, SurveyResponse

from ..trainees.conftest import running_program, write_url
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def scene(host, coordinator, trainee, staff):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from seminars.services import legs, trips

    from ..factories import enrol

    today = timezone.localdate()
    # Five days ending today (the survey after the program opens on the last day).
    program = running_program(host, "ITベンチャー研修（ブラウザ）", today - timedelta(days=2))
    enrollment = enrol(program, trainee)
    enrollment.mentor = staff
    enrollment.save(update_fields=["mentor"])
    trip = trips.save_trip(
        program,
        trips.TripPlan(
            purpose="帰路の出張（松本→福岡）",
            start_date=today,
            end_date=today,
            trainees=[enrollment],
            staff=[],
            lodging="",
            places="松本",
        ),
        by=coordinator,
    )

    def evening(hour, minute):
        return timezone.make_aware(datetime.combine(today, time(hour, minute)))

    legs.save_leg(
        trip,
        legs.LegPlan(
            mode="flight",
            origin_place="信州まつもと空港",
            destination="福岡空港",
            depart_at=evening(19, 0),
            arrive_at=evening(20, 55),
            service="FDA 245",
            fare=41000,
        ),
        by=coordinator,
    )
    return {"program": program, "enrollment": enrollment, "today": today, "trip": trip}


def autosave_responses(page, url):
    """Answers to the page's automatic saves, as they arrive."""
    seen = []
    page.on(
        "response",
        lambda r: (
            seen.append(r.status) if r.request.method == "POST" and r.url.endswith(url) else None
        ),
    )
    return seen


def test_offline_typing_is_kept_and_saved_once_when_the_connection_returns(
    browser, live_server, scene, trainee, coordinator
):
    enrollment, today = scene["enrollment"], scene["today"]
    url = write_url(enrollment, today)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, trainee.email)

    # From "today" to the day's reflection.
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="今日の振り返り").click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    saves = autosave_responses(page, url)

    status = page.locator("#save-status")
    did = page.get_by_label("今日やったこと")
    did.press_sequentially("説明会の受付を担当した。", delay=15)
    expect(status).to_contain_text("保存しました", timeout=10_000)
    assert DailyReflection.objects.get().did == "説明会の受付を担当した。"

    # The train enters a tunnel.
    context.set_offline(True)
    learned = page.get_by_label("学んだこと")
    learned.press_sequentially("住民の声を直接聞くことの大切さ。", delay=15)
    page.get_by_label("明日の目標").press_sequentially("セミナーで記録係をする。", delay=15)
    expect(status).to_contain_text("オフライン", timeout=10_000)
    shoot_page(page, "reflection-offline-360")
    page.wait_for_timeout(2_500)  # the page tries to save while offline, and cannot
    kept = page.evaluate("Object.values(localStorage).join('')")
    assert "住民の声を直接聞くことの大切さ。" in kept
    row = DailyReflection.objects.get()
    assert row.learned == ""  # nothing reached the server
    revision_offline = row.revision
    saves_before = len(saves)

    # Out of the tunnel: what was typed is sent, once.
    context.set_offline(False)
    expect(status).to_contain_text("保存しました", timeout=15_000)
    page.wait_for_timeout(2_500)  # time for any duplicate to show itself
    assert saves[saves_before:] == [200]
    row = DailyReflection.objects.get()
    assert row.learned == "住民の声を直接聞くことの大切さ。"
    assert row.tomorrow == "セミナーで記録係をする。"
    assert row.revision == revision_offline + 1
    assert DailyReflection.objects.count() == 1
    assert page.evaluate("Object.keys(localStorage).length") == 0  # confirmed: copy dropped
    shoot_page(page, "reflection-saved-360")

    # Submit, with the rating.
    page.get_by_text("4", exact=True).click()
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_text("提出しました。")).to_be_visible()
    assert DailyReflection.objects.get().status == ReflectionStatus.SUBMITTED

    # The coordinator reads it from the matrix, comments and marks it reviewed.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    office = desk.new_page()
    log_in(office, live_server, coordinator.email)
    office.goto(f"{live_server.url}/programs/{scene['program'].pk}/reflections/")
    shoot_page(office, "reflection-matrix")
    office.get_by_role("link", name=re.compile("提出済み")).first.click()
    expect(office.get_by_text("住民の声を直接聞くことの大切さ。")).to_be_visible()
    office.get_by_role("textbox", name="コメント").fill(
        "受付おつかれさまでした。明日の記録も期待しています。"
    )
    office.get_by_role("button", name="投稿").click()
    expect(office.get_by_text("コメントを投稿しました。")).to_be_visible()
    asked = []
    office.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    office.get_by_role("button", name="確認済みにする（以後は変更不可）").click()
    expect(office.get_by_text("確認済みにしました。")).to_be_visible()
    assert "研修生はこれ以上変更できなくなります" in asked[0]  # asked before locking
    desk.close()

    # The comment reaches the trainee; the reflection is now locked.
    page.goto(f"{live_server.url}/today/")
    expect(page.get_by_role("link", name=re.compile("新しいコメント"))).to_be_visible()
    page.get_by_role("link", name=re.compile("新しいコメント")).click()
    expect(page.get_by_text("受付おつかれさまでした。")).to_be_visible()
    expect(page.get_by_text("これ以上は変更できません")).to_be_visible()
    shoot_page(page, "reflection-reviewed-360")
    page.wait_for_load_state("networkidle")

    # The survey after the program, from today (its last day).
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name=re.compile("研修後の意識調査")).click()
    statements = page.locator("fieldset.likert")
    count = statements.count()
    assert count >= 2
    for index in range(count):
        statements.nth(index).locator("label.likert__option").nth(3 + index % 2).click()
    page.get_by_label(re.compile("学んだこと")).fill("仕事を切り出して任せる方法。")
    shoot_page(page, "journey-trainee-survey-360")
    page.get_by_role("button", name="回答を送る").click()
    page.wait_for_load_state()
    response = SurveyResponse.objects.get(enrollment=enrollment, phase="post")
    assert response.answers.filter(value__isnull=False).count() == count
    shoot_page(page, "journey-trainee-survey-sent-360")

    # The evening's flight: the itinerary from today, the trainee's own page, fitting the
    # phone.
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="行程表：帰路の出張（松本→福岡）").click()
    expect(page.get_by_text("信州まつもと空港 → 福岡空港").first).to_be_visible()
    expect(page.get_by_text(trainee.display_name).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot_page(page, "journey-trainee-itinerary-360")
    context.close()


def test_text_typed_offline_and_left_is_restored_and_sent_on_the_next_visit(
    browser, live_server, scene, trainee
):
    enrollment, today = scene["enrollment"], scene["today"]
    url = f"{live_server.url}{write_url(enrollment, today)}"
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, trainee.email)
    page.goto(url)
    context.set_offline(True)
    page.get_by_label("感じたこと・驚いたこと").press_sequentially("会議が短い。", delay=15)
    expect(page.locator("#save-status")).to_contain_text("オフライン")
    # The device holds the text before the page goes: that copy is what comes back.
    kept = page.evaluate("Object.values({...localStorage}).join()")
    assert "会議が短い。" in kept
    page.close()  # the battery runs out before the train leaves the tunnel

    context.set_offline(False)
    page = context.new_page()
    page.goto(url)
    # The text is back on the page and reaches the server once (whether the restored copy or
    # a save the browser completed as the page went away got there first).
    expect(page.get_by_label("感じたこと・驚いたこと")).to_have_value("会議が短い。")
    assert wait_until(
        lambda: DailyReflection.objects.filter(felt="会議が短い。").exists(), timeout=15
    )
    assert DailyReflection.objects.count() == 1
    page.wait_for_load_state("networkidle")
    context.close()


def wait_until(predicate, timeout: float) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def shoot_page(page, name):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
