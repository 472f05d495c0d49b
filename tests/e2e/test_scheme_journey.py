"""The scheme office's year in the browser, end to end: the office opens a call; a host's
coordinator offers places; a municipality's contact applies (another municipality has
applied for the same host's weeks); the office closes the call, runs the matching, reads
the explanation, locks a pair, runs it again and confirms; the contact names two staff,
who accept their emailed invitations; the coordinator finds the draft program with them
enrolled. Dates are built from today."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Enrollment, Membership, Municipality, Program, Role, Status
from scheme.models import Application, Call, HostChoice, Match, Pin

from ..factories import UserFactory
from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1280, "height": 900}


def monday_on_or_after(day):
    return day + timedelta(days=(7 - day.weekday()) % 7)


@pytest.fixture
def office(db):
    user = UserFactory(email="office@example.com", family_name="渡辺", given_name="恵")
    Membership.objects.create(user=user, role=Role.OFFICE)
    return user


@pytest.fixture
def minowa(db):
    return Municipality.objects.get_or_create(
        code="203831", defaults={"name": "箕輪町", "prefecture": 20}
    )[0]


def log_out(page, live_server):
    page.context.clear_cookies()


def open_call(page, live_server, shoot, first_week, last_week, today):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="新しい募集").click()
    page.locator("#id_fiscal_year").fill(
        str(first_week.year if first_week.month >= 4 else first_week.year - 1)
    )
    page.locator("#id_title").fill("ITベンチャー研修 募集（ブラウザ）")
    page.locator("#id_opens_on").fill(today.isoformat())
    page.locator("#id_closes_on").fill((today + timedelta(days=14)).isoformat())
    page.locator("#id_first_week").fill(first_week.isoformat())
    page.locator("#id_last_week").fill(last_week.isoformat())
    page.get_by_role("button", name="募集を保存").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="募集を開く").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("受付中")
    shoot("scheme-01-call-open")
    return Call.objects.get()


def offer_places(page, live_server, shoot, call, weeks):
    page.goto(f"{live_server.url}/scheme/calls/{call.pk}/")
    page.get_by_role("link", name="受入枠を登録").click()
    for week in weeks:
        page.check(f"input[name=weeks][value='{week.isoformat()}']")
    page.locator("#id_places").fill("2")
    page.check("input[name=themes][value='crowdsourcing']")
    page.locator("#id_location").fill("東京都渋谷区")
    page.get_by_role("button", name="受入枠を保存").click()
    page.wait_for_load_state()
    expect(page.locator("table").first).to_contain_text("有効")
    shoot("scheme-02-offer")


def apply(page, live_server, shoot, call, host, preferred):
    page.goto(f"{live_server.url}/scheme/calls/{call.pk}/")
    page.get_by_role("link", name="申し込む").click()
    page.locator("#id_staff").fill("2")
    page.check(f"input[name=preferred_weeks][value='{preferred.isoformat()}']")
    page.check("input[name=themes][value='crowdsourcing']")
    page.locator("#id_host_1").select_option(str(host.pk))
    page.get_by_role("button", name="申し込む").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("申し込みました")
    shoot("scheme-03-application")


def test_office_call_to_enrolled_staff(
    page, live_server, shoot, office, host, coordinator, supervisor, tagawa, minowa
):
    page.set_viewport_size(DESK)
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()
    first = monday_on_or_after(today + timedelta(days=35))
    weeks = [first + timedelta(weeks=n) for n in range(4)]

    log_in(page, live_server, office.email)
    call = open_call(page, live_server, shoot, weeks[0], weeks[-1], today)
    log_out(page, live_server)

    log_in(page, live_server, coordinator.email)
    offer_places(page, live_server, shoot, call, weeks[:2])
    log_out(page, live_server)

    log_in(page, live_server, supervisor.email)
    apply(page, live_server, shoot, call, host, weeks[0])
    log_out(page, live_server)
    # 箕輪町 wants the same first week at the same host, for two staff: only one of the two
    # municipalities fits there.
    rival = Application.objects.create(
        call=call, municipality=minowa, staff=2, preferred_weeks=[weeks[0].isoformat()],
        themes=["crowdsourcing"],
    )  # fmt: skip
    HostChoice.objects.create(application=rival, rank=1, host=host)

    log_in(page, live_server, office.email)
    page.goto(f"{live_server.url}/scheme/calls/{call.pk}/")
    page.get_by_role("button", name="今すぐ締め切る").click()
    page.wait_for_load_state()
    page.get_by_role("main").get_by_role("link", name="マッチング", exact=True).click()
    page.get_by_role("button", name="マッチングを実行").click()
    page.wait_for_load_state()
    table = page.locator("table").first
    expect(table).to_contain_text("田川市")
    expect(table).to_contain_text("箕輪町")
    expect(table).to_contain_text("第1希望")
    shoot("scheme-04-matching")

    # Whoever got the preferred week, the office locks 田川市 to the host and runs again.
    tagawa_row = page.locator("tr", has_text="田川市")
    tagawa_row.get_by_role("button", name="固定").click()
    page.wait_for_load_state()
    assert Pin.objects.get().application.municipality == tagawa
    page.get_by_role("button", name="マッチングを実行").click()
    page.wait_for_load_state()
    tagawa_row = page.locator("tr", has_text="田川市")
    expect(tagawa_row).to_contain_text(host.name)
    shoot("scheme-05-locked-and-run-again")
    mail.outbox.clear()
    tagawa_row.get_by_role("button", name="確定する").click()
    page.wait_for_load_state()
    match = Match.objects.get(application__municipality=tagawa)
    assert match.program.status == Status.DRAFT
    assert {m.to[0] for m in mail.outbox} >= {coordinator.email, supervisor.email}
    log_out(page, live_server)

    log_in(page, live_server, supervisor.email)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="マッチング").first.click()
    page.get_by_role("main").get_by_role("link", name="田川市").click()
    page.get_by_role("link", name="派遣職員を登録").click()
    people = [("田中", "翔", "sho@example.org"), ("山本", "彩花", "ayaka@example.org")]
    for row, (family, given, email) in enumerate(people, start=1):
        page.locator(f"#id_family_name_{row}").fill(family)
        page.locator(f"#id_given_name_{row}").fill(given)
        page.locator(f"#id_email_{row}").fill(email)
        page.locator(f"#id_department_{row}").fill("総務課")
        page.locator(f"#id_position_{row}").fill("主事")
    mail.outbox.clear()
    page.get_by_role("button", name="招待して参加登録").click()
    page.wait_for_load_state()
    expect(page.get_by_text("sho@example.org")).to_be_visible()
    shoot("scheme-06-staff-named")
    log_out(page, live_server)

    links = {
        m.to[0]: re.search(r"https?://\S+/invitations/[\w-]+/", m.body).group(0)
        for m in mail.outbox
    }
    assert set(links) == {"sho@example.org", "ayaka@example.org"}
    for _family, _given, email in people:  # each on their own browser, from their email
        invitee = page.context.browser.new_context(viewport=DESK).new_page()
        invitee.goto(live_server.url + re.sub(r"^https?://[^/]+", "", links[email]))
        invitee.get_by_label("パスワード", exact=True).fill("a-long-passphrase-1")
        invitee.get_by_label("パスワード（確認）").fill("a-long-passphrase-1")
        invitee.get_by_role("button", name="アカウントを作成").click()
        expect(invitee).to_have_url(re.compile(r"/today/$"))  # the account is made: its today
        invitee.context.close()

    enrolled = Enrollment.objects.filter(program=match.program)
    assert set(enrolled.values_list("trainee__email", flat=True)) == {
        "sho@example.org",
        "ayaka@example.org",
    }
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/programs/{match.program.pk}/")
    expect(page.get_by_text("田中 翔").first).to_be_visible()
    expect(page.get_by_text("山本 彩花").first).to_be_visible()
    shoot("scheme-07-coordinator-finds-the-draft")
    assert Program.objects.get(pk=match.program.pk).status == Status.DRAFT
