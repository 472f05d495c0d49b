"""A coordinator meets an invitation the mail server refused: the program page says 送信失敗
and why, in red beside the person, and the address is corrected and sent again there."""

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Invitation, Role
from programs.services.invitations import create_invitation

from .conftest import log_in


def test_a_refused_invitation_is_corrected_and_sent_again(
    page, live_server, program, coordinator, tagawa, shoot
):
    typo = create_invitation(
        invited_by=coordinator,
        email="yamamoto@exampel.org",
        role=Role.TRAINEE,
        host_company=program.host,
        municipality=tagawa,
        family_name="山本",
        given_name="彩花",
        program=program,
    )
    # What the worker records when the receiving server answers 550 for the typo's domain.
    Invitation.objects.filter(pk=typo.pk).update(
        delivery="failed",
        delivery_error="550 5.1.2 <yamamoto@exampel.org>: Recipient address rejected",
        delivery_at=timezone.now(),
    )
    mail.outbox.clear()
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    row = page.locator(".invitation-list li").filter(has_text="山本 彩花")
    expect(row.locator(".state--failed")).to_have_text("送信失敗")
    expect(row).to_contain_text("Recipient address rejected")
    shoot("invitation-01-failed")

    field = row.get_by_label("正しいメールアドレス")
    expect(field).to_have_value("yamamoto@exampel.org")
    field.fill("yamamoto@example.org")
    row.get_by_role("button", name="修正して再送").click()
    page.wait_for_load_state()
    row = page.locator(".invitation-list li").filter(has_text="山本 彩花")
    expect(row).to_contain_text("yamamoto@example.org")
    expect(row.locator(".state--failed")).to_have_count(0)
    shoot("invitation-02-sent-again")
    typo.refresh_from_db()
    assert (typo.email, typo.delivery) == ("yamamoto@example.org", "sent")
    assert [m.to for m in mail.outbox] == [["yamamoto@example.org"]]


def test_the_host_page_shows_a_failure_and_keeps_a_still_wrong_address(
    page, live_server, host, coordinator, shoot
):
    """The host's people page: 送信失敗 with the reason and the form; an address that still
    cannot be sent comes back on its own page with the reason beside the field."""
    invitation = create_invitation(
        invited_by=coordinator, email="kato@exampel.org", role=Role.STAFF, host_company=host
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        delivery="failed",
        delivery_error="550 5.1.2 <kato@exampel.org>: Recipient address rejected",
        delivery_at=timezone.now(),
    )
    log_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/hosts/{host.pk}/people/")
    expect(page.locator(".state--failed")).to_have_text("送信失敗")
    shoot("invitation-03-host-people-failed")
    field = page.get_by_label("正しいメールアドレス")
    field.fill("kato@exam\u202eple.org")
    page.get_by_role("button", name="修正して再送").click()
    page.wait_for_load_state()
    expect(page.get_by_text("送信できない文字（U+202E）")).to_be_visible()
    shoot("invitation-04-address-still-wrong")
    invitation.refresh_from_db()
    assert invitation.email == "kato@exampel.org"


def test_an_address_no_page_has_is_the_sites_own_404(page, live_server, shoot):
    page.goto(f"{live_server.url}/does-not-exist/")
    expect(page).to_have_title("ページが見つかりません | Kenshu")
    shoot("error-404-anonymous")
