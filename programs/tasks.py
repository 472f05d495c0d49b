"""Celery tasks of the core. Each takes ids, loads rows, calls one service or sends one mail."""

import smtplib
import socket

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Invitation

# Errors after which the same send may succeed: the SMTP server or the network was away.
TRANSIENT_SMTP_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    socket.timeout,
    socket.gaierror,
    ConnectionError,
)


@shared_task(name="programs.tasks.ping")
def ping(value: str = "pong") -> dict:
    """The smoke task: proves a worker took a message from the broker and ran it."""
    return {"value": value, "hostname": socket.gethostname()}


@shared_task(name="programs.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task(
    bind=True,
    name="programs.tasks.send_invitation_email",
    autoretry_for=TRANSIENT_SMTP_ERRORS,
    retry_backoff=30,
    retry_backoff_max=settings.KENSHU_MAX_TASK_DELAY,
    retry_jitter=True,
    max_retries=8,
)
def send_invitation_email(self, invitation_id: int, token: str) -> bool:
    """Email the invitation link. Does nothing when the invitation was used, withdrawn or
    sent again with a newer link since this task was queued."""
    invitation = (
        Invitation.objects.select_related("host_company", "municipality", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.token_hash != Invitation.hash_token(token):
        return False
    link = settings.KENSHU_BASE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    context = {"invitation": invitation, "link": link}
    # The invitee has no language setting yet: the templates say it in Japanese, then English.
    message = EmailMultiAlternatives(
        subject=render_to_string("programs/email/invitation_subject.txt", context).strip(),
        body=render_to_string("programs/email/invitation.txt", context),
        to=[invitation.email],
        reply_to=[invitation.invited_by.email] if invitation.invited_by else None,
    )
    message.attach_alternative(
        render_to_string("programs/email/invitation.html", context), "text/html"
    )
    try:
        message.send()
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:  # greylisting, a full queue: the same send may pass
            raise self.retry(
                exc=exc, countdown=min(60 * 2**self.request.retries, settings.KENSHU_MAX_TASK_DELAY)
            ) from exc
        raise
    return True


@shared_task(name="programs.tasks.apply_roster_import", acks_late=True)
def apply_roster_import(import_id: int) -> None:
    """Apply a confirmed roster (idempotent: a redelivered task finds it claimed)."""
    from .services.roster import run_roster_import

    run_roster_import(import_id)


@shared_task(name="programs.tasks.dispatch_reminders")
def dispatch_reminders() -> dict:
    """The beat's tick (every few minutes): write the rows of every reminder due now, then
    hand them to senders in batches. Safe to run twice at once: rows have unique keys and
    senders claim each row once."""
    from django.utils import timezone

    from .services import reminders

    now = timezone.now()
    interrupted = reminders.reap(now)
    created = reminders.dispatch(now)
    batches = reminders.due_batches(now)
    for ids in batches:
        send_reminder_batch.delay(ids)
    return {"created": created, "batches": len(batches), "interrupted": interrupted}


@shared_task(
    bind=True,
    name="programs.tasks.send_reminder_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=8,
)
def send_reminder_batch(self, ids: list[int]) -> dict:
    """Send one batch over one SMTP connection. On an error that can pass, the unsent rows
    wait again and the task retries with backoff (capped below the broker's visibility
    timeout)."""
    from .services import reminders

    result = reminders.send_batch(ids)
    if result.retry is not None:
        raise self.retry(
            exc=result.retry,
            countdown=min(30 * 2**self.request.retries, settings.KENSHU_MAX_TASK_DELAY),
        )
    return {"sent": result.sent, "skipped": result.skipped, "failed": result.failed}
