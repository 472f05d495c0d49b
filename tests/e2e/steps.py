"""Steps of the coordinator's journey that more than one browser test walks: a program from
the week template, trainees from a roster file, an activity moved in the week grid and a
clash refused, a worker briefing added to a trip. Each checks what the coordinator sees;
most save a screenshot."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from programs import calendar_days
from programs.models import Program


def program_from_template(page, live_server, shoot, title: str, start: str, end: str) -> Program:
    page.goto(f"{live_server.url}/programs/new/")
    page.get_by_label("タイトル").fill(title)
    page.get_by_label("開始日").fill(start)
    page.get_by_label("終了日").fill(end)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/week/")
    page.get_by_role("link", name="テンプレート").first.click()
    page.locator("#id_apply-template").select_option(label="ITベンチャー研修（1週間）")
    page.get_by_role("button", name="適用").click()
    page.wait_for_load_state()
    assert page.get_by_text("16件の活動を追加しました").is_visible()
    shoot("week-01-template-applied")
    return Program.objects.get(title=title)


def enrol_from_roster(page, live_server, shoot, program: Program, registered_email, tmp_path):
    """Two trainees from a Shift_JIS file as municipal PCs save it: one who has an account
    (enrolled) and one who does not (invited)."""
    roster = tmp_path / "名簿.csv"
    roster.write_bytes(
        (
            "氏名,メールアドレス,自治体コード,所属,職名\n"
            f"田中 翔,{registered_email},402061,総務課,主事\n"
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
    # Applied by a task: at once when tasks run in the web process, else by the worker (the
    # page says so; the coordinator reloads it).
    done = page.get_by_text("1人を参加登録し、1人を招待しました")
    for _ in range(60):
        if done.is_visible():
            break
        page.wait_for_timeout(1_000)
        page.reload()
    assert done.is_visible()
    shoot("week-03-enrolled")


def move_then_clash(page, live_server, shoot, program: Program) -> None:
    """Move an activity a quarter hour later in place; then a clash with the trainee's
    other program (12:00–12:45 on the first day) is refused, naming both slots, the typed
    times kept."""
    page.goto(f"{live_server.url}/programs/{program.pk}/week/")
    page.locator(".week-grid").get_by_role("link", name="1日目の振り返り").click()
    page.get_by_role("button", name="15分遅く").click()
    expect(page.locator("#week-region").get_by_text("移動しました")).to_be_visible()
    expect(page.locator(".week-grid").get_by_text("17:15〜17:45")).to_be_visible()
    shoot("week-04-moved")

    page.locator(".week-grid").get_by_role("link", name="オリエンテーション・自己紹介").click()
    expect(page.get_by_label("タイトル")).to_have_value("オリエンテーション・自己紹介")
    page.get_by_label("開始").fill("12:00")
    page.get_by_label("終了").fill("12:30")
    page.locator(".week-editor").get_by_role("button", name="保存").click()
    error = page.locator(".week-editor .message--error, .week-editor .errorlist").first
    error.wait_for()
    text = page.locator(".week-editor").inner_text()
    # The other host's program is named by its time only.
    assert "オリエンテーション・自己紹介" in text and "12:00〜12:45" in text
    assert "昼の打ち合わせ" not in text
    assert page.get_by_label("開始").input_value() == "12:00"
    shoot("week-05-conflict")


def add_worker_briefing(page, title: str, day: str, start: str, end: str, partner: str = ""):
    """From the trip's page, a worker briefing (ワーカー向け説明会) at 箕輪町's community centre;
    saved, it is in the week."""
    page.get_by_role("link", name="セミナーを追加").click()
    page.get_by_label("種類").select_option(label="ワーカー向け説明会")
    page.get_by_label("タイトル").fill(title)
    page.get_by_label("日付").fill(day)
    page.get_by_label("開始").fill(start)
    page.get_by_label("終了").fill(end)
    page.get_by_label("会場").fill("箕輪町地域交流センター")
    if partner:
        page.get_by_label("連携先").fill(partner)
    page.get_by_role("button", name="セミナーを保存").click()
    expect(page.get_by_text("セミナーを保存しました。週間予定に表示されます。")).to_be_visible()


def publish_through_the_checklist(page) -> None:
    """From the program's page: 公開する opens the checklist, whose button publishes."""
    page.get_by_role("link", name="公開する").click()
    expect(page.get_by_role("heading", name="公開する前に")).to_be_visible()
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_text("研修プログラムを公開しました。")).to_be_visible()


def free_week():
    """The Monday and Friday of the first week without a national holiday, three or more
    weeks from today."""
    today = timezone.localdate()
    monday = today + timedelta(days=21 - today.weekday())
    while calendar_days.national_holidays(monday, monday + timedelta(days=4)):
        monday += timedelta(days=7)
    return monday, monday + timedelta(days=4)
