"""Email addresses are checked the way they will be sent, when they are typed; a send that
fails after all shows on the invitation as failed, never as sent."""

import secrets
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address
from django.urls import reverse
from django.utils import timezone, translation

from config.celery_app import app as celery_app
from programs.admin import InvitationAdminForm
from programs.models import ActivityLog, Invitation, Role
from programs.services import invitations as service
from programs.services.roster_rows import RosterRow, classify
from programs.tasks import send_invitation_email
from programs.validators import validate_sendable_email, visible_characters

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE

GOOD = [
    "user@example.jp",
    "Taro.Yamada+kenshu@City.Tagawa.Fukuoka.JP",
    "user@例え.jp",  # an IDN domain: sent as xn--r8jz45g.jp
    "user@xn--r8jz45g.jp",
]

# (address, the code of the refusal, a piece of the English message)
BAD = [
    (f"user@exa{RLO}mple.jp", "unsendable_character", "(U+202E)"),
    (f"ab{RLO}c@example.jp", "unsendable_character", "(U+202E)"),
    ("user@ex\u200bample.jp", "unsendable_character", "(U+200B)"),
    ("us\u200cer@example.jp", "unsendable_character", "(U+200C)"),
    ("user@example.jp\ufeff", "unsendable_character", "(U+FEFF)"),
    ("user\u2066@example.jp", "unsendable_character", "(U+2066)"),
    ("user@\u200eexample.jp", "unsendable_character", "(U+200E)"),
    ("user\u061c@example.jp", "unsendable_character", "(U+061C)"),
    ("us\ter@example.jp", "unsendable_character", "(U+0009)"),
    ("us\x07er@example.jp", "unsendable_character", "(U+0007)"),
    ("user@exam\u00adple.jp", "unsendable_character", "(U+00AD)"),
    ("田中@example.jp", "non_ascii_local_part", "before @"),
    ("tanaka@" + "あいうえおかきくけこ" * 6 + ".jp", "domain_encoding", "1 to 63 characters"),
    ("tanaka@ｅｘａｍｐｌｅ.jp", "domain_changes", "“example.jp”"),
    ("tanaka@" + "a" * 64 + ".jp", "invalid", "valid email"),
    ("not-an-address", "invalid", "valid email"),
]


@pytest.mark.parametrize("address", GOOD)
def test_an_address_django_sends_as_typed_is_accepted(address):
    validate_sendable_email(address)
    validate_sendable_email(address.lower())
    # and Django really sends it (the locmem backend builds the message as SMTP would)
    EmailMessage("s", "b", to=[address]).send()
    assert mail.outbox[-1].to == [address]


@pytest.mark.parametrize(("address", "code", "text"), BAD)
def test_an_address_that_cannot_be_sent_as_typed_is_refused(address, code, text):
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            validate_sendable_email(address)
        assert excinfo.value.code == code
        assert text in excinfo.value.messages[0]


def test_the_refusals_are_what_djangos_own_sending_does():
    """Not a guess: the same addresses break or change in django.core.mail."""
    with pytest.raises(UnicodeError):
        sanitize_address(f"user@exa{RLO}mple.jp", "utf-8")
    with pytest.raises(UnicodeError):
        sanitize_address(("", "tanaka@" + "あいうえおかきくけこ" * 6 + ".jp"), "utf-8")
    # A non-ASCII local part becomes an RFC 2047 word: another mailbox (no SMTPUTF8).
    assert sanitize_address("田中@example.jp", "utf-8").startswith("=?utf-8?")
    # Full-width letters and a zero-width space are mapped away: the mail goes elsewhere.
    assert sanitize_address(("", "a@ｅｘａｍｐｌｅ.jp"), "utf-8") == "a@example.jp"
    assert sanitize_address(("", "a@ex\u200bample.jp"), "utf-8") == "a@example.jp"


def test_the_message_names_the_character_in_japanese():
    with translation.override("ja"):
        with pytest.raises(ValidationError) as excinfo:
            validate_sendable_email(f"user@exa{RLO}mple.jp")
        assert excinfo.value.messages == [
            "このメールアドレスには送信できない文字（U+202E）が含まれています。"
        ]


def test_visible_characters_shows_what_an_address_holds():
    assert visible_characters(f"user@exa{RLO}mple.jp") == "user@exa<U+202E>mple.jp"
    assert visible_characters("田中 様 user@例え.jp") == "田中 様 user@例え.jp"


# --- forms -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestForms:
    def test_invite_trainee_form_refuses_next_to_the_field_and_keeps_the_rest(
        self, client, coordinator, program, tagawa
    ):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:invite_trainee", args=[program.pk]),
            {
                "email": f"tanaka@exa{RLO}mple.jp",
                "family_name": "田中",
                "given_name": "翔",
                "municipality": tagawa.code,
                "department": "総務課",
                "position": "主事",
            },
        )
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["email"]
        page = response.content.decode()
        assert "このメールアドレスには送信できない文字（U+202E）が含まれています。" in page
        for kept in ('value="田中"', 'value="翔"', 'value="総務課"', 'value="主事"'):
            assert kept in page
        assert Invitation.objects.count() == 0

    def test_host_invitation_form_refuses_a_non_ascii_local_part(
        self, client, coordinator, host, tagawa
    ):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:invitation_create", args=[host.pk]),
            {"email": "田中@example.jp", "role": "trainee", "municipality": tagawa.code},
        )
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["email"]
        assert "@より前は半角の英数字と記号で入力してください。" in response.content.decode()
        assert Invitation.objects.count() == 0

    def test_admin_invitation_form_refuses(self, host):
        form = InvitationAdminForm(
            data={"email": f"a@exa{RLO}mple.jp", "role": "staff", "host_company": host.pk}
        )
        assert not form.is_valid()
        assert list(form.errors) == ["email"]

    def test_the_service_refuses_too(self, coordinator, host):
        """The roster's confirmation and the admin create invitations through it."""
        with pytest.raises(service.InvitationRefused) as excinfo:
            service.create_invitation(
                invited_by=coordinator,
                email=f"a@exa{RLO}mple.jp",
                role=Role.STAFF,
                host_company=host,
            )
        assert excinfo.value.field == "email"
        assert Invitation.objects.count() == 0

    def test_after_inviting_the_page_says_being_sent_not_sent(
        self, client, coordinator, program, tagawa
    ):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:invite_trainee", args=[program.pk]),
            {"email": "new@example.jp", "family_name": "田中", "municipality": tagawa.code},
        )
        assert response.status_code == 302
        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        assert message == (
            "new@example.jp に招待を送信します。送信できなかった場合は、招待の一覧に表示されます。"
        )
        assert Invitation.objects.get().delivery == "queued"  # the worker has not run yet


# --- the roster preview --------------------------------------------------------------------


@pytest.mark.django_db
def test_roster_row_with_an_unsendable_address_is_invalid_with_the_reason(
    program, coordinator, tagawa
):
    rows = [
        RosterRow(2, "田中 翔", f"tanaka@exa{RLO}mple.jp", "402061", "総務課", "主事"),
        RosterRow(3, "山本 彩花", "山本@example.jp", "402061", "", ""),
        RosterRow(4, "佐藤 健", "sato@例え.jp", "402061", "", ""),
    ]
    with translation.override("ja"):
        classify(program, rows, by=coordinator)
    assert [r.status for r in rows] == ["invalid", "invalid", "new"]
    assert rows[0].errors == ["このメールアドレスには送信できない文字（U+202E）が含まれています。"]
    assert "@より前は半角" in rows[1].errors[0]


# --- the worker ----------------------------------------------------------------------------


def make_invitation(coordinator, host, email: str) -> tuple[Invitation, str]:
    """An invitation written directly (no form, no service check), as an old row could be."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        role=Role.STAFF,
        host_company=host,
        token_hash=Invitation.hash_token(token),
        invited_by=coordinator,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return invitation, token


@pytest.mark.django_db
class TestDelivery:
    def test_a_send_that_raises_in_djangos_address_handling_marks_the_invitation_failed(
        self, coordinator, host
    ):
        address = f"tanaka@exa{RLO}mple.jp"
        invitation, token = make_invitation(coordinator, host, address)
        assert invitation.delivery == "queued"
        with pytest.raises(UnicodeError) as raised:  # what Django's own sanitising raises
            sanitize_address(address, "utf-8")
        assert send_invitation_email.delay(invitation.pk, token).get() is False
        invitation.refresh_from_db()
        assert invitation.delivery == "failed"
        assert invitation.delivery_error == visible_characters(f"UnicodeError: {raised.value}")
        assert "encoding with 'idna' codec failed" in invitation.delivery_error
        assert invitation.delivery_at is not None
        assert mail.outbox == []

    def test_a_send_that_passes_marks_it_sent(self, coordinator, host):
        invitation, token = make_invitation(coordinator, host, "ok@example.jp")
        assert send_invitation_email.delay(invitation.pk, token).get() is True
        invitation.refresh_from_db()
        assert (invitation.delivery, invitation.delivery_error) == ("sent", "")
        assert [m.to for m in mail.outbox] == [["ok@example.jp"]]

    def test_an_older_link_does_not_record_over_a_newer_send(
        self, coordinator, host, django_capture_on_commit_callbacks
    ):
        invitation, old_token = make_invitation(coordinator, host, f"a@exa{RLO}mple.jp")
        with django_capture_on_commit_callbacks(execute=False):
            service.resend_invitation(invitation, by=coordinator)
        assert send_invitation_email.delay(invitation.pk, old_token).get() is False
        invitation.refresh_from_db()
        assert invitation.delivery == "queued"


class RcptHandler:
    """An SMTP server that answers RCPT TO with `reply` (a real SMTP conversation)."""

    def __init__(self, reply: str):
        self.reply = reply
        self.rcpt_attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_attempts += 1
        if self.reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return self.reply


@pytest.fixture
def smtp(settings):
    controllers = []

    def start(reply: str) -> RcptHandler:
        handler = RcptHandler(reply)
        with socket.socket() as probe:  # a free loopback port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.mark.django_db
class TestDeliveryOverSmtp:
    def test_a_refused_recipient_5xx_is_failed_at_once(self, smtp, coordinator, host):
        handler = smtp("550 5.1.1 No such user here")
        invitation, token = make_invitation(coordinator, host, "nobody@example.jp")
        assert send_invitation_email.delay(invitation.pk, token).get() is False
        invitation.refresh_from_db()
        assert invitation.delivery == "failed"
        assert invitation.delivery_error == "550 5.1.1 No such user here"  # as the server said
        assert handler.rcpt_attempts == 1

    def test_a_greylisted_recipient_is_retried_then_failed_when_retries_run_out(
        self, smtp, coordinator, host
    ):
        handler = smtp("450 4.2.0 Greylisted, try again later")
        invitation, token = make_invitation(coordinator, host, "grey@example.jp")
        # Eager mode re-runs a retried task at once only when errors do not propagate.
        before = celery_app.conf.task_eager_propagates
        celery_app.conf.task_eager_propagates = False
        try:
            send_invitation_email.delay(invitation.pk, token)
        finally:
            celery_app.conf.task_eager_propagates = before
        assert handler.rcpt_attempts == send_invitation_email.max_retries + 1
        invitation.refresh_from_db()
        assert invitation.delivery == "failed"
        assert "450" in invitation.delivery_error

    def test_an_accepted_recipient_is_sent(self, smtp, coordinator, host):
        smtp("250 OK")
        invitation, token = make_invitation(coordinator, host, "yes@example.jp")
        assert send_invitation_email.delay(invitation.pk, token).get() is True
        invitation.refresh_from_db()
        assert invitation.delivery == "sent"


# --- correct the address and send again ----------------------------------------------------


@pytest.fixture
def failed_invitation(coordinator, host, program, tagawa):
    """A trainee's invitation into the program whose send failed on its address."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=f"tanaka@exa{RLO}mple.jp",
        role=Role.TRAINEE,
        host_company=host,
        municipality=tagawa,
        program=program,
        family_name="田中",
        token_hash=Invitation.hash_token(token),
        invited_by=coordinator,
        expires_at=timezone.now() + timedelta(days=7),
    )
    send_invitation_email.delay(invitation.pk, token)
    invitation.refresh_from_db()
    assert invitation.delivery == "failed"
    return invitation


@pytest.mark.django_db
class TestCorrectAndResend:
    def test_program_page_shows_the_failure_with_its_reason_and_a_form(
        self, client, coordinator, program, failed_invitation
    ):
        client.force_login(coordinator)
        page = client.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
        assert "送信失敗" in page
        assert "このメールアドレスには送信できない文字（U+202E）が含まれています。" in page
        assert "tanaka@exa&lt;U+202E&gt;mple.jp" in page  # the override shown, not obeyed
        assert RLO not in page
        url = reverse(
            "programs:program_invitation_address", args=[program.pk, failed_invitation.pk]
        )
        assert f'action="{url}"' in page

    def test_host_people_page_shows_it_too(self, client, coordinator, host, failed_invitation):
        client.force_login(coordinator)
        page = client.get(reverse("programs:host_people", args=[host.pk])).content.decode()
        assert "送信失敗" in page
        url = reverse("programs:invitation_address", args=[host.pk, failed_invitation.pk])
        assert f'action="{url}"' in page

    def test_a_corrected_address_is_sent_with_a_new_link(
        self, client, coordinator, program, failed_invitation, django_capture_on_commit_callbacks
    ):
        client.force_login(coordinator)
        old_hash = failed_invitation.token_hash
        url = reverse(
            "programs:program_invitation_address", args=[program.pk, failed_invitation.pk]
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": "Tanaka@Example.jp"})
        assert response.status_code == 302
        assert response.url == reverse("programs:program_detail", args=[program.pk])
        failed_invitation.refresh_from_db()
        assert failed_invitation.email == "tanaka@example.jp"
        assert failed_invitation.delivery == "sent" and failed_invitation.delivery_error == ""
        assert failed_invitation.token_hash != old_hash
        assert [m.to for m in mail.outbox] == [["tanaka@example.jp"]]
        assert ActivityLog.objects.filter(action="invitation.corrected").count() == 1

    def test_the_host_page_form_corrects_too(
        self, client, coordinator, host, failed_invitation, django_capture_on_commit_callbacks
    ):
        client.force_login(coordinator)
        url = reverse("programs:invitation_address", args=[host.pk, failed_invitation.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"email": "tanaka@例え.jp"})
        assert response.url == reverse("programs:host_people", args=[host.pk])
        failed_invitation.refresh_from_db()
        assert (failed_invitation.email, failed_invitation.delivery) == ("tanaka@例え.jp", "sent")

    def test_a_still_unsendable_address_is_refused_next_to_the_field(
        self, client, coordinator, program, failed_invitation
    ):
        client.force_login(coordinator)
        url = reverse(
            "programs:program_invitation_address", args=[program.pk, failed_invitation.pk]
        )
        # the visible form of the override, sent back unchanged
        response = client.post(url, {"email": failed_invitation.email_visible})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["email"]
        response = client.post(url, {"email": "田中@example.jp"})
        assert "@より前は半角の英数字と記号で入力してください。" in response.content.decode()
        assert 'value="田中@example.jp"' in response.content.decode()
        failed_invitation.refresh_from_db()
        assert failed_invitation.email == f"tanaka@exa{RLO}mple.jp"
        assert failed_invitation.delivery == "failed"

    def test_an_address_with_a_pending_invitation_already_is_refused(
        self, client, coordinator, program, tagawa, failed_invitation
    ):
        service.create_invitation(
            invited_by=coordinator,
            email="taken@example.jp",
            role=Role.TRAINEE,
            host_company=program.host,
            municipality=tagawa,
            program=program,
        )
        client.force_login(coordinator)
        url = reverse(
            "programs:program_invitation_address", args=[program.pk, failed_invitation.pk]
        )
        response = client.post(url, {"email": "taken@example.jp"})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["email"]

    def test_outsider_gets_404_and_anonymous_is_sent_to_log_in(
        self, client, outsider, host, program, failed_invitation
    ):
        urls = [
            reverse("programs:program_invitation_address", args=[program.pk, failed_invitation.pk]),
            reverse("programs:invitation_address", args=[host.pk, failed_invitation.pk]),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and reverse("account_login") in response.url
            response = client.post(url, {"email": "x@example.jp"})
            assert response.status_code == 302 and reverse("account_login") in response.url
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"email": "x@example.jp"}).status_code == 404, url
        failed_invitation.refresh_from_db()
        assert failed_invitation.email == f"tanaka@exa{RLO}mple.jp"

    def test_staff_who_may_read_the_program_may_not_correct(
        self, client, staff, program, failed_invitation
    ):
        client.force_login(staff)
        url = reverse(
            "programs:program_invitation_address", args=[program.pk, failed_invitation.pk]
        )
        assert client.post(url, {"email": "x@example.jp"}).status_code == 403

    def test_an_invitation_of_another_program_is_404(
        self, client, coordinator, host, failed_invitation
    ):
        from ..factories import ProgramFactory

        other = ProgramFactory(host=host)
        client.force_login(coordinator)
        url = reverse("programs:program_invitation_address", args=[other.pk, failed_invitation.pk])
        assert client.get(url).status_code == 404


class TestCorrectionIsForWhoMayInvite:
    def test_a_coordinator_cannot_point_an_operators_supervisor_invitation_elsewhere(
        self, client, coordinator, operator, host, tagawa
    ):
        """An operator's supervisor invitation listed on the host's page: correcting its
        address would hand the coordinator the municipality's supervision."""
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            email=f"kacho@exa{RLO}mple.jp",
            role=Role.SUPERVISOR,
            host_company=host,
            municipality=tagawa,
            token_hash=Invitation.hash_token(token),
            invited_by=operator,
            expires_at=timezone.now() + timedelta(days=7),
            delivery="failed",
        )
        client.force_login(coordinator)
        url = reverse("programs:invitation_address", args=[host.pk, invitation.pk])
        page = client.get(reverse("programs:host_people", args=[host.pk])).content.decode()
        assert "送信失敗" in page and f'action="{url}"' not in page  # no form offered
        response = client.post(url, {"email": coordinator.email})
        assert response.status_code in (200, 400) and "この役割に招待する権限がありません。" in (
            response.content.decode()
        )
        invitation.refresh_from_db()
        assert invitation.email == f"kacho@exa{RLO}mple.jp"
        assert invitation.token_hash == Invitation.hash_token(token)

    def test_only_an_invitation_that_failed_is_corrected(
        self, client, coordinator, program, failed_invitation
    ):
        Invitation.objects.filter(pk=failed_invitation.pk).update(delivery="sent")
        client.force_login(coordinator)
        url = reverse(
            "programs:program_invitation_address", args=[program.pk, failed_invitation.pk]
        )
        response = client.post(url, {"email": "tanaka@example.jp"})
        assert "送信できなかった招待だけです" in response.content.decode()
        failed_invitation.refresh_from_db()
        assert failed_invitation.email == f"tanaka@exa{RLO}mple.jp"
