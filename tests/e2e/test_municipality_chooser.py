"""A coordinator invites a trainee from a village whose name they can only say: typing its
reading in hiragana suggests it from the registry of every municipality, and the invitation
goes out for that village."""

from playwright.sync_api import expect

from programs.models import Invitation

from .conftest import log_in


def test_a_reading_typed_in_hiragana_finds_the_village(page, live_server, host, coordinator, shoot):
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/hosts/{host.pk}/invitations/new/")
    page.get_by_label("メールアドレス").fill("tonaki@example.org")
    field = page.get_by_role("combobox", name="自治体")
    field.fill("となき")
    option = page.get_by_role("option", name="沖縄県 渡名喜村（473561）")
    expect(option).to_be_visible()
    shoot("municipality-01-suggested")
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value("沖縄県 渡名喜村（473561）")
    page.get_by_role("button", name="招待を送信").click()
    page.wait_for_load_state()
    expect(page.get_by_text("tonaki@example.org").first).to_be_visible()
    assert Invitation.objects.get(email="tonaki@example.org").municipality.code == "473561"


def test_a_name_of_several_is_answered_beside_the_field(
    page, live_server, host, coordinator, shoot
):
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/hosts/{host.pk}/invitations/new/")
    page.get_by_label("メールアドレス").fill("fuchu@example.org")
    page.get_by_role("combobox", name="自治体").fill("府中市")
    page.get_by_role("button", name="招待を送信").click()
    page.wait_for_load_state()
    expect(page.locator(".field--error")).to_contain_text("東京都 府中市（132063）")
    expect(page.get_by_role("combobox", name="自治体")).to_have_value("府中市")
    shoot("municipality-02-several")
    assert not Invitation.objects.exists()
