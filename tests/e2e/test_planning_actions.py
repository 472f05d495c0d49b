"""A coordinator plans the demo's week from login to published, and every action that
matters is counted: each click, fill, select, upload and key press. The week comes from the
built-in template, two trainees from a roster file, the trip with its three legs (out,
between the two towns, back) and two seminars from the template's placeholders (予定枠),
published through its checklist. It prints `actions: N` with where they went, and fails
above 40. Typing the address of the login page is the only move not made by an action.

The dates are built from today (a week with no holiday, a few weeks ahead), so the test
means the same thing whatever day it runs."""

from collections import Counter

import pytest
from playwright.sync_api import expect

from programs.models import Activity, Enrollment, Program, Status
from programs.services import calendar as calendar_services
from seminars.models import Leg, Seminar, Trip

from ..factories import PASSWORD, UserFactory
from . import steps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIMIT = 40


@pytest.fixture(autouse=True)
def builtin_template(db):
    """The built-in week comes from a data migration that an earlier transactional test's
    flush removed: run its function again."""
    import importlib

    from django.apps import apps

    importlib.import_module("programs.migrations.0003_builtin_week_template").create(apps, None)


class Actions:
    """The page's actions that count, each written down with the step it belongs to."""

    def __init__(self, page):
        self.page = page
        self.step = ""
        self.done: list[tuple[str, str]] = []

    def _count(self, kind: str) -> None:
        self.done.append((self.step, kind))

    def click(self, locator) -> None:
        locator.click()
        self._count("click")

    def fill(self, locator, value: str) -> None:
        locator.fill(value)
        self._count("fill")

    def select(self, locator, label: str) -> None:
        locator.select_option(label=label)
        self._count("select")

    def upload(self, locator, path) -> None:
        locator.set_input_files(str(path))
        self._count("upload")

    def press(self, locator, key: str) -> None:
        locator.press(key)
        self._count("key")

    def report(self) -> str:
        by_step = Counter(step for step, _kind in self.done)
        lines = [f"actions: {len(self.done)}"]
        lines += [f"  {step}: {count}" for step, count in by_step.items()]
        return "\n".join(lines)


@pytest.fixture
def two_known_trainees(host, coordinator, tagawa):
    """Two trainees this host already knows (they accepted its invitations before)."""
    from programs.models import Invitation, TraineeProfile

    people = []
    for n, (family, given) in enumerate([("田中", "翔"), ("山本", "彩花")], start=1):
        user = UserFactory(email=f"trainee{n}@example.org", family_name=family, given_name=given)
        TraineeProfile.objects.create(user=user, municipality=tagawa)
        Invitation.objects.create(
            email=user.email,
            role="trainee",
            host_company=host,
            municipality=tagawa,
            token_hash=f"{n}" * 64,
            invited_by=coordinator,
            expires_at="2099-01-01T00:00:00Z",
            accepted_by=user,
            accepted_at="2026-01-01T00:00:00Z",
        )
        people.append(user)
    return people


def test_a_coordinator_plans_the_demo_week_in_at_most_40_actions(
    page, live_server, shoot, coordinator, two_known_trainees, tmp_path, capsys
):
    monday, friday = steps.free_week()
    roster = tmp_path / "名簿.csv"
    roster.write_bytes(
        (
            "氏名,メールアドレス,自治体コード,所属,職名\n"
            "田中 翔,trainee1@example.org,402061,総務課,主事\n"
            "山本 彩花,trainee2@example.org,402061,産業振興課,主事\n"
        ).encode("cp932")
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    act = Actions(page)

    act.step = "log in"
    page.goto(f"{live_server.url}/accounts/login/")
    act.fill(page.get_by_label("メールアドレス", exact=True), coordinator.email)
    act.fill(page.get_by_label("パスワード", exact=True), PASSWORD)
    act.click(page.get_by_role("button", name="ログイン"))

    act.step = "the program from the template"
    act.click(page.get_by_role("link", name="新しい研修プログラム").first)
    act.fill(page.get_by_label("タイトル"), "ITベンチャー研修（田川市）")
    act.fill(page.get_by_label("開始日"), monday.isoformat())
    act.fill(page.get_by_label("終了日"), friday.isoformat())
    act.select(page.get_by_label("週間予定のテンプレート"), "ITベンチャー研修（1週間）")
    act.click(page.get_by_role("button", name="保存"))
    expect(page.get_by_text("16件の活動を追加しました")).to_be_visible()
    shoot("actions-01-week-with-placeholders")

    act.step = "two trainees from a roster file"
    act.click(page.locator(".breadcrumb").get_by_role("link", name="ITベンチャー研修（田川市）"))
    act.click(page.get_by_role("link", name="名簿ファイルから登録"))
    act.upload(page.get_by_label("名簿ファイル"), roster)
    act.click(page.get_by_role("button", name="プレビュー"))
    act.click(page.get_by_role("button", name="確定"))
    expect(page.get_by_text("2人を参加登録し")).to_be_visible()

    act.step = "the trip from its placeholders"
    act.click(page.get_by_role("link", name="週間予定").first)
    act.click(page.locator(".week-grid").get_by_role("link", name="出張を計画").first)
    act.click(page.get_by_role("button", name="出張を保存"))
    for row in (1, 2, 3):
        act.select(page.get_by_label(f"交通手段（{row}行目）"), "在来線")
    shoot("actions-02-legs-table")
    act.click(page.get_by_role("button", name="保存して次へ"))
    shoot("actions-03-seminars-table")
    act.click(page.get_by_role("button", name="セミナーを保存"))
    expect(page.get_by_text("2件のセミナーを保存しました")).to_be_visible()

    act.step = "published through the checklist"
    act.click(page.locator(".breadcrumb").get_by_role("link", name="ITベンチャー研修（田川市）"))
    act.click(page.get_by_role("link", name="公開する"))
    checklist = page.locator(".checklist").inner_text()
    assert "研修生2人が参加登録済みです。" in checklist and "予定枠" not in checklist
    shoot("actions-04-checklist")
    act.click(page.get_by_role("button", name="公開する"))
    expect(page.get_by_text("研修プログラムを公開しました")).to_be_visible()
    shoot("actions-05-published")

    with capsys.disabled():
        print("\n" + act.report())
    program = Program.objects.get(title="ITベンチャー研修（田川市）")
    assert program.status == Status.PUBLISHED
    assert Enrollment.objects.filter(program=program, withdrawn_at__isnull=True).count() == 2
    trip = Trip.objects.get(program=program)
    assert [(leg.origin_place, leg.destination) for leg in Leg.objects.filter(trip=trip)] == [
        ("本社", "箕輪町"),
        ("箕輪町", "松本市"),
        ("松本市", "本社"),
    ]
    assert Seminar.objects.filter(trip=trip).count() == 2
    # Planned to the end: no placeholder left, and no feed carries a cancelled event.
    assert not Activity.objects.on_the_grid().filter(program=program, placeholder=True).exists()
    program_feed = calendar_services.to_ical("p", calendar_services.program_activities(program))
    assert b"CANCELLED" not in program_feed
    for trainee in two_known_trainees:
        feed = calendar_services.to_ical("t", calendar_services.trainee_activities(trainee))
        assert b"CANCELLED" not in feed and b"BEGIN:VEVENT" in feed
    assert len(act.done) <= LIMIT, act.report()
