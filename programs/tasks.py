"""Celery tasks of the core. Each takes ids, loads rows, calls one service or sends one mail."""

import logging
import smtplib
import socket

from celery import shared_task
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .mail import KenshuEmail
from .models import Invitation
from .models.organisations import Delivery
from .validators import visible_characters

logger = logging.getLogger(__name__)

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
    """The nightly tidy-up: expired sessions, and roster previews nobody confirmed."""
    from django.utils import timezone

    from .services.roster import forget_old_previews

    call_command("clearsessions")
    forget_old_previews(now=timezone.now())


@shared_task(bind=True, name="programs.tasks.send_invitation_email", max_retries=8)
def send_invitation_email(self, invitation_id: int, token: str) -> bool:
    """Email the invitation link, and record on the invitation whether it left (sent) or
    cannot leave (failed, with the error): a refused address, a 5xx answer, or the retries
    of a passing error used up. Does nothing when the invitation was used, withdrawn or
    sent again with a newer link since this task was queued."""
    invitation = (
        Invitation.objects.select_related("host_company", "municipality", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.token_hash != Invitation.hash_token(token):
        return False
    link = settings.KENSHU_BASE_URL.rstrip("/") + reverse(
        "programs:invitation_accept", args=[token]
    )
    context = {"invitation": invitation, "link": link}
    # The invitee has no language setting yet: the templates say it in Japanese, then English.
    message = KenshuEmail(
        subject=render_to_string("programs/email/invitation_subject.txt", context).strip(),
        body=render_to_string("programs/email/invitation.txt", context),
        to=[invitation.email],
        reply_to=[invitation.invited_by.email] if invitation.invited_by else None,
    )
    message.attach_alternative(
        render_to_string("programs/email/invitation.html", context), "text/html"
    )
    token_hash = invitation.token_hash
    try:
        message.send()
    except TRANSIENT_SMTP_ERRORS as exc:  # before SMTPResponseException: some are one
        return _retry_or_fail(self, invitation_id, token_hash, exc)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _reply in exc.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):  # greylisted recipient
            return _retry_or_fail(self, invitation_id, token_hash, exc)
        return _record_delivery(invitation_id, token_hash, Delivery.FAILED, exc)
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:  # greylisting, a full queue: the same send may pass
            return _retry_or_fail(self, invitation_id, token_hash, exc)
        return _record_delivery(invitation_id, token_hash, Delivery.FAILED, exc)
    except ValueError as exc:
        # The address as Django sanitises it (UnicodeError from the domain's IDNA encoding
        # is a ValueError): sending it again cannot pass.
        return _record_delivery(invitation_id, token_hash, Delivery.FAILED, exc)
    except Exception as exc:
        _record_delivery(invitation_id, token_hash, Delivery.FAILED, exc)
        raise
    _record_delivery(invitation_id, token_hash, Delivery.SENT)
    return True


def _retry_or_fail(task, invitation_id: int, token_hash: str, exc: Exception) -> bool:
    """Try again later with a growing delay; once the retries are used up, failed."""
    if task.request.retries >= task.max_retries:
        return _record_delivery(invitation_id, token_hash, Delivery.FAILED, exc)
    _record_delivery(invitation_id, token_hash, Delivery.QUEUED, exc)
    raise task.retry(
        exc=exc, countdown=min(30 * 2**task.request.retries, settings.KENSHU_MAX_TASK_DELAY)
    ) from exc


def _reason(exc: Exception) -> str:
    """What the mail server said, as a person reads it ("550 5.1.1 <a@…>: User unknown"),
    rather than Python's repr of the exception; other errors with their type."""

    def text(reply) -> str:
        return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)

    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return "; ".join(f"{code} {text(reply)}" for code, reply in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _record_delivery(
    invitation_id: int, token_hash: str, state: str, exc: Exception | None = None
) -> bool:
    """Write the delivery state, unless the invitation was sent again with a newer link
    meanwhile (that send records its own). The error text shows invisible characters as
    <U+202E>, as the address that caused it may hold them."""
    error = "" if exc is None else _reason(exc)
    Invitation.objects.filter(pk=invitation_id, token_hash=token_hash).update(
        delivery=state, delivery_error=visible_characters(error), delivery_at=timezone.now()
    )
    if state == Delivery.FAILED:
        logger.warning("Invitation %s not sent: %s", invitation_id, error)
    return state == Delivery.SENT


@shared_task(
    name="programs.tasks.read_roster_import",
    acks_late=True,
    # A worker killed while reading (out of memory, say) does not get the same file again:
    # the page says the reading stopped (roster.reading_stopped).
    reject_on_worker_lost=False,
    soft_time_limit=60,
    time_limit=90,
)
def read_roster_import(import_id: int) -> None:
    """Read an uploaded roster into its preview (idempotent: only a file still being read is
    read). The parse has its own budget (roster.READ_SECONDS); the limits here are the last
    word if something underneath it hangs."""
    from .services.roster import run_roster_read

    run_roster_read(import_id)


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
