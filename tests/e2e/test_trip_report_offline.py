"""On a 360×740 phone, on the train: the trainee writes the 復命書 as a reflection is written
(saved as typed, kept on the phone while the connection is gone, sent once when it returns),
and the caret being typed at is never under the sticky 提出する bar. The reflection form
starts from the day: the day's activities as a start for 今日やったこと, and the goal the
trainee set the day before quoted above it."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from seminars.models import TripReport
from trainees.models import DailyReflection
from trainees.services import reflections as reflection_services

from ..factories import add_activity, enrol
from ..trainees.conftest import SECTIONS, running_program, write_url
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def browser_context_args(browser_context_args):
    """The `page` (and `shoot`) of these tests is a phone's."""
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture
def scene(host, coordinator, trainee):
    from seminars.services import legs, trips

    today = timezone.localdate()
    program = running_program(host, "ITベンチャー研修（電車）", today - timedelta(days=2))
    enrollment = enrol(program, trainee)
    trip = trips.save_trip(
        program,
        trips.TripPlan(
            purpose="松本市での企業向けセミナー",
            start_date=today,
            end_date=today,
            trainees=[enrollment],
            staff=[],
            lodging="",
            places="松本",
        ),
        by=coordinator,
    )
    legs.save_leg(
        trip,
        legs.LegPlan(
            mode="rail",
            origin_place="箕輪町",
            destination="松本",
            depart_at=timezone.make_aware(datetime.combine(today, time(8, 10))),
            arrive_at=timezone.make_aware(datetime.combine(today, time(9, 5))),
            service="JR飯田線・篠ノ井線",
            fare=1340,
        ),
        by=coordinator,
    )
    return {"program": program, "enrollment": enrollment, "trip": trip, "today": today}


def posts_to(page, path):
    """The statuses of the POSTs to `path`, as they arrive."""
    seen = []
    page.on(
        "response",
        lambda r: (
            seen.append(r.status) if r.request.method == "POST" and r.url.endswith(path) else None
        ),
    )
    return seen


def test_the_trip_report_typed_offline_is_kept_and_saved_once_back_online(
    page, live_server, scene, trainee, shoot
):
    program, trip = scene["program"], scene["trip"]
    url = reverse("seminars:trip_report_write", args=[program.pk, trip.pk])
    autosave = reverse("seminars:trip_report_autosave", args=[program.pk, trip.pk])
    log_in(page, live_server, trainee.email)
    page.goto(f"{live_server.url}{url}")
    saves = posts_to(page, autosave)
    status = page.locator("#save-status")
    expect(status).to_contain_text("入力すると自動で保存されます")

    page.locator("#id_content").press_sequentially("松本商工会議所青年部でセミナーを補助した。")
    expect(status).to_contain_text("保存しました", timeout=10_000)
    report = TripReport.objects.get()
    assert report.content == "松本商工会議所青年部でセミナーを補助した。"
    expect(page.locator('[data-counter-for="id_content"]')).to_have_text("21 / 4000")

    # Into a tunnel: the page keeps typing on the phone and says so.
    page.context.set_offline(True)
    impressions = "地域の企業が抱える人手不足の切実さを知った。"
    page.locator("#id_impressions").press_sequentially(impressions, delay=15)
    expect(status).to_contain_text("オフライン", timeout=10_000)
    expect(status).to_contain_text("この端末に保存しました")
    expect(page.locator('[data-counter-for="id_impressions"]')).to_have_text(
        f"{len(impressions)} / 4000"
    )
    shoot("trip-report-offline-360")
    page.wait_for_timeout(2_500)  # the page tries to save while offline, and cannot
    assert impressions in page.evaluate("Object.values(localStorage).join('')")
    report.refresh_from_db()
    assert report.impressions == ""  # nothing reached the server
    revision_offline, saves_before = report.revision, len(saves)

    # Out of the tunnel: what was typed is sent, once.
    page.context.set_offline(False)
    expect(status).to_contain_text("保存しました", timeout=15_000)
    page.wait_for_timeout(2_500)  # time for any duplicate to show itself
    assert saves[saves_before:] == [200]
    report.refresh_from_db()
    assert report.impressions == impressions
    assert report.revision == revision_offline + 1
    assert TripReport.objects.count() == 1
    assert page.evaluate("Object.keys(localStorage).length") == 0  # confirmed: copy dropped
    shoot("trip-report-saved-360")

    # Submitted with the button; the report is now filed and no longer saved as typed.
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_text("復命書を提出しました。")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "submitted" and report.impressions == impressions
    assert page.locator("[data-autosave-form]").count() == 0


CARET_BOTTOM = """(field) => {
  // Where the caret's line ends on screen: the text up to the caret laid out again in a
  // hidden copy of the textarea, within the textarea's box.
  const style = getComputedStyle(field);
  const mirror = document.createElement("div");
  for (const name of ["boxSizing", "width", "padding", "borderWidth", "borderStyle", "font",
                      "letterSpacing", "lineHeight", "wordBreak", "tabSize"]) {
    mirror.style[name] = style[name];
  }
  Object.assign(mirror.style, {position: "absolute", visibility: "hidden", top: "0",
                               left: "-9999px", whiteSpace: "pre-wrap",
                               overflowWrap: "break-word"});
  mirror.textContent = field.value.slice(0, field.selectionEnd);
  const mark = document.createElement("span");
  mark.textContent = "\\u200b";
  mirror.appendChild(mark);
  document.body.appendChild(mirror);
  const inside = parseFloat(style.borderTopWidth) + mark.offsetTop + mark.offsetHeight;
  mirror.remove();
  const box = field.getBoundingClientRect();
  return Math.min(box.top + inside - field.scrollTop, box.bottom);
}"""


def test_the_caret_stays_above_the_sticky_bar_while_typing_many_lines(
    page, live_server, scene, trainee
):
    enrollment, today = scene["enrollment"], scene["today"]
    log_in(page, live_server, trainee.email)
    page.goto(f"{live_server.url}{write_url(enrollment, today)}")
    bar = page.locator(".sticky-actions")
    bar_box = bar.bounding_box()
    assert 90 <= bar_box["height"] <= 160  # the bar (about 124 px here) covers a lot

    for label in ("学んだこと", "感じたこと・驚いたこと"):
        field = page.get_by_label(label)
        # The field's top just above the bar (as far as the page scrolls): its first lines
        # show, the rest is under the bar.
        page.evaluate(
            """([field, bar]) => {
                const top = field.getBoundingClientRect().top;
                const barTop = bar.getBoundingClientRect().top;
                window.scrollBy(0, top - (barTop - 40));
            }""",
            [field.element_handle(), bar.element_handle()],
        )
        top, bottom, bar_top = field.evaluate(
            """(f, bar) => [f.getBoundingClientRect().top, f.getBoundingClientRect().bottom,
                            bar.getBoundingClientRect().top]""",
            bar.element_handle(),
        )
        assert top < bar_top - 30 and bottom > bar_top + 30, (top, bottom, bar_top)
        field.click(position={"x": 20, "y": 10})
        for line in range(12):
            page.keyboard.type(f"{line + 1}行目：電車の中で書いている。")
            page.keyboard.press("Enter")
            caret = field.evaluate(CARET_BOTTOM)
            bar_top = bar.evaluate("bar => bar.getBoundingClientRect().top")
            assert caret <= bar_top, (label, line, caret, bar_top)
        assert field.evaluate("f => f.value").count("\n") == 12
    expect(page.locator("#save-status")).to_contain_text("保存しました", timeout=10_000)
    saved = DailyReflection.objects.get()
    assert "12行目" in saved.learned and "12行目" in saved.felt


def test_the_reflection_starts_from_the_day_and_yesterdays_goal(
    page, live_server, scene, trainee, shoot
):
    enrollment, today, program = scene["enrollment"], scene["today"], scene["program"]
    reflection_services.save_draft(
        enrollment,
        today - timedelta(days=1),
        SECTIONS | {"tomorrow": "セミナーで記録係をして、質問を一つする。"},
        by=trainee,
    )
    add_activity(program, today, "13:30", "15:00", "企業向けセミナー（松本）")
    log_in(page, live_server, trainee.email)
    page.goto(f"{live_server.url}{write_url(enrollment, today)}")
    quote = page.locator(".goal-quote")
    expect(quote).to_contain_text("の振り返りに書いた「明日の目標」")
    expect(quote).to_contain_text("セミナーで記録係をして、質問を一つする。")
    start = page.get_by_role("button", name="今日の予定から書き始める")
    expect(start).to_be_visible()
    shoot("reflection-start-from-the-day-360")

    did = page.get_by_label("今日やったこと")
    start.click()
    expect(did).to_be_focused()
    # The trip's train (an activity derived from its leg), the day's work and the seminar.
    plan = (
        "08:10〜09:05 移動：箕輪町 → 松本（JR飯田線・篠ノ井線）\n"
        "10:00〜12:00 活動\n"
        "13:30〜15:00 企業向けセミナー（松本）\n"
    )
    assert did.input_value() == plan
    page.keyboard.type("受付を担当した。")
    # A second press adds nothing: the schedule is already there.
    start.click()
    assert did.input_value().count("13:30〜15:00") == 1
    expect(page.locator("#save-status")).to_contain_text("保存しました", timeout=10_000)
    saved = DailyReflection.objects.get(date=today).did
    assert saved == plan + "受付を担当した。"
    assert re.search(r"\d+ / 2000", page.locator('[data-counter-for="id_did"]').inner_text())
    shoot("reflection-started-from-the-day-360")
