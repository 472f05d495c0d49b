"""A real SMTP conversation: the invitation email goes to an SMTP server on a loopback port,
which refuses the first attempt with a temporary error (451) and accepts the second."""

import email
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from config.celery_app import app as celery_app
from programs.models import Invitation, Role
from programs.services.invitations import create_invitation


class FlakyHandler:
    def __init__(self, temporary_failures: int):
        self.temporary_failures = temporary_failures
        self.attempts = 0
        self.accepted: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.attempts <= self.temporary_failures:
            return "451 4.3.0 Try again later"
        self.accepted.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    handler = FlakyHandler(temporary_failures=1)
    with socket.socket() as probe:  # a free loopback port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.mark.django_db
def test_invitation_survives_a_temporary_smtp_refusal(
    smtp_server, settings, coordinator, host, django_capture_on_commit_callbacks
):
    handler, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    # Eager mode re-runs a retried task at once only when errors do not propagate.
    celery_app.conf.task_eager_propagates = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            invitation = create_invitation(
                invited_by=coordinator, email="smtp@example.org", role=Role.STAFF, host_company=host
            )
    finally:
        celery_app.conf.task_eager_propagates = True
    assert handler.attempts == 2
    [message] = handler.accepted
    assert message["To"] == "smtp@example.org"
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    token = re.search(r"/invitations/([\w-]+)/", text.get_payload(decode=True).decode()).group(1)
    assert Invitation.objects.get(pk=invitation.pk).token_hash == Invitation.hash_token(token)
    assert mail.outbox == []  # it really went over SMTP
