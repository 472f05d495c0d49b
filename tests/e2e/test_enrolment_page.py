"""The program page's trainees and publishing, in a browser: two registered trainees ticked
and enrolled at once, a mentor chosen on a row (saved in place), a withdrawal confirmed on
its own page, and the program published through its checklist. axe-core finds no serious
or critical violation on the program page, the withdrawal's confirmation or the checklist."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Enrollment, Role, Status

from ..factories import ProgramFactory, TraineeProfileFactory, UserFactory
from ..programs.test_enrolment_page import known_to
from .conftest import log_in
from .test_accessibility import audit, axe_source, browser_context_args  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(host, coordinator, staff, tagawa):
    start = timezone.localdate() + timedelta(days=30)
    program = ProgramFactory(
        host=host,
        title="ITベンチャー研修（参加登録）",
        start_date=start,
        end_date=start + timedelta(days=4),
        status=Status.DRAFT,
    )
    people = [("田中", "翔"), ("山本", "彩花")]
    trainees = [
        known_to(
            host,
            TraineeProfileFactory(
                municipality=tagawa,
                user=UserFactory(family_name=family, given_name=given),
            ).user,
            coordinator,
        )
        for family, given in people
    ]
    staff.family_name, staff.given_name = "佐藤", "美咲"
    staff.save()
    return {"program": program, "trainees": trainees, "staff": staff}


def test_enrol_two_set_a_mentor_withdraw_and_publish(
    page,
    live_server,
    shoot,
    axe_source,  # noqa: F811
    scene,
    coordinator,
):
    program, (tanaka, yamamoto) = scene["program"], scene["trainees"]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/programs/{program.pk}/")

    # Two trainees ticked, one 参加登録.
    page.get_by_role("button", name="参加登録", exact=True).click()
    expect(page.get_by_text("参加登録する研修生を1人以上選んでください。")).to_be_visible()
    page.get_by_label("田中 翔（田川市）").check()
    page.get_by_label("山本 彩花（田川市）").check()
    page.get_by_label("メンター", exact=True).select_option(label="佐藤 美咲")
    shoot("enrolment-01-ticked")
    page.get_by_role("button", name="参加登録", exact=True).click()
    expect(page.get_by_text("2人の研修生を参加登録しました。")).to_be_visible()
    assert Enrollment.objects.filter(program=program, mentor=scene["staff"]).count() == 2
    audit(page, axe_source, "program page", "ja")

    # A mentor changed on one row, saved in place.
    page.get_by_label("田中 翔さんのメンター").select_option(label="メンターなし")
    page.get_by_role("button", name=re.compile("保存.*田中 翔さんのメンター")).click()
    expect(page.get_by_text("田中 翔さんのメンターを保存しました。")).to_be_visible()
    assert Enrollment.objects.get(program=program, trainee=tanaka).mentor is None
    shoot("enrolment-02-mentor-saved")

    # Withdrawing asks first; cancel goes back, then confirmed with a reason.
    page.get_by_role("link", name=re.compile("辞退扱いにする.*山本 彩花")).click()
    expect(page.get_by_role("heading", name="研修生の辞退")).to_be_visible()
    expect(page.get_by_text("記入した内容（振り返り、意識調査、復命書）は残り")).to_be_visible()
    audit(page, axe_source, "withdrawal confirmation", "ja")
    shoot("enrolment-03-withdraw-confirmation")
    page.get_by_role("link", name="キャンセル").click()
    expect(page.get_by_role("heading", name="ITベンチャー研修（参加登録）")).to_be_visible()
    assert Enrollment.objects.get(trainee=yamamoto).withdrawn_at is None
    page.get_by_role("link", name=re.compile("辞退扱いにする.*山本 彩花")).click()
    page.get_by_label("理由").fill("業務の都合")
    page.get_by_role("button", name="辞退扱いにする").click()
    expect(
        page.get_by_text("山本 彩花さんを辞退扱いにしました。記入内容は残ります。")
    ).to_be_visible()
    expect(page.get_by_label("山本 彩花さんのメンター")).to_have_count(0)
    shoot("enrolment-04-withdrawn")

    # Publishing goes through its checklist: one trainee, no trip yet (a warning).
    page.get_by_role("link", name="公開する").click()
    expect(page.get_by_text("研修生1人が参加登録済みです。")).to_be_visible()
    expect(page.get_by_text("出張はまだ計画されていません。")).to_be_visible()
    expect(page.get_by_role("link", name="出張を計画")).to_be_visible()
    audit(page, axe_source, "publish checklist", "ja")
    shoot("enrolment-05-checklist")
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_text("研修プログラムを公開しました。")).to_be_visible()
    expect(page.locator("h1 .state")).to_have_text(re.compile("公開"))
    program.refresh_from_db()
    assert program.status == Status.PUBLISHED
    shoot("enrolment-06-published")


def test_the_pages_on_a_phone(page, live_server, shoot, scene, coordinator):
    """The tick boxes, the rows' mentor selects and the checklist fit a phone's width."""
    from programs.services.programs import enroll_many

    program = scene["program"]
    enroll_many(program, scene["trainees"][:1], by=coordinator)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    shoot("enrolment-07-program-phone")
    page.goto(f"{live_server.url}/programs/{program.pk}/publish/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    shoot("enrolment-08-checklist-phone")
    assert Role.STAFF  # the staff member of the scene is the one mentor offered
