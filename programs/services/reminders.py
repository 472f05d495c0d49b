"""Reminders: a dispatcher writes one row per due reminder (unique key); senders claim rows
with a conditional update and send them in batches over one SMTP connection.

Never twice, never lost:
- two beats or a retried dispatch write nothing new (the key is unique);
- two workers given the same ids: the conditional claim lets one of them have each row;
- rows are marked "sending" a few at a time (CHUNK) just before their messages go out and
  "sent" right after; a worker that dies leaves its untouched rows "claimed", and they are
  claimed again and sent after CLAIM_TIMEOUT; the rows it may have been sending become
  "interrupted" and are never sent again by themselves (an operator can resend them from
  the admin, saying so);
- an SMTP error that can pass puts the row and the rest of the batch back to "pending" and
  the task retries with backoff; a permanent refusal is recorded on the row."""

import contextlib
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .. import registry
from ..models import Notification, NotificationStatus, Program, ReminderOptOut

CLAIM_TIMEOUT = timedelta(minutes=15)
BATCH_SIZE = 200
CHUNK = 20  # rows marked "sending" together: at most this many become "interrupted" if a
# worker is killed in the middle of sending them
S = NotificationStatus


def dispatch(now: datetime) -> int:
    """Write a row for every reminder due now; returns how many rows are new."""
    rows = [
        Notification(
            key=due.key[:200],
            kind=due.kind,
            recipient_id=due.recipient_id,
            program_id=due.program_id,
            url=due.url,
            context=due.context,
            due_at=due.due_at,
        )
        for reminder in registry.reminders().values()
        for due in reminder.find(now)
    ]
    if not rows:
        return 0
    before = Notification.objects.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Notification.objects.count() - before


def reap(now: datetime) -> int:
    """A row left "sending" by a worker that died: its message may have gone out. It is
    marked interrupted and not sent again by itself."""
    return Notification.objects.filter(status=S.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        status=S.INTERRUPTED, error="The worker stopped while sending this message."
    )


def due_batches(now: datetime, size: int = BATCH_SIZE) -> list[list[int]]:
    """Ids of rows to send now, in batches: waiting ones, and claimed ones whose worker died."""
    ids = list(
        Notification.objects.filter(due_at__lte=now)
        .filter(Q(status=S.PENDING) | Q(status=S.CLAIMED, claimed_at__lt=now - CLAIM_TIMEOUT))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:50_000]
    )
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def claim(ids: list[int], now: datetime) -> tuple[uuid.UUID, list[Notification]]:
    token = uuid.uuid4()
    Notification.objects.filter(pk__in=ids).filter(
        Q(status=S.PENDING) | Q(status=S.CLAIMED, claimed_at__lt=now - CLAIM_TIMEOUT)
    ).update(status=S.CLAIMED, claim_token=token, claimed_at=now, attempts=F("attempts") + 1)
    rows = list(
        Notification.objects.filter(claim_token=token, status=S.CLAIMED)
        .select_related("recipient", "program")
        .order_by("pk")
    )
    return token, rows


@dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retry: Exception | None = None


def _message(
    row: Notification, reminder: registry.Reminder, reply_to: str | None, preferences: str
):
    user = row.recipient
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = reminder.message(row)
        if text is None:
            return None
        base = settings.KENSHU_BASE_URL.rstrip("/")
        context = {
            "user": user,
            "message": text,
            "link": base + row.url,
            "preferences": preferences,
        }
        message = EmailMultiAlternatives(
            subject=text.subject,
            body=render_to_string("programs/email/reminder.txt", context),
            to=[user.email],
            reply_to=[reply_to] if reply_to else None,
            headers={
                "List-Unsubscribe": f"<{preferences}>",
                "Auto-Submitted": "auto-generated",
                "X-Kenshu-Reminder": row.key,
            },
        )
        message.attach_alternative(
            render_to_string("programs/email/reminder.html", context), "text/html"
        )
    return message


def send_batch(ids: list[int], now: datetime | None = None) -> BatchResult:
    """Claim the rows, check each is still due and wanted, and send them over one SMTP
    connection. A fixed number of reads per batch, two UPDATEs per CHUNK messages."""
    now = now or timezone.now()
    result = BatchResult()
    _token, rows = claim(ids, now)
    if not rows:
        return result
    kinds = registry.reminders()
    opted_out = set(
        ReminderOptOut.objects.filter(user__in={r.recipient_id for r in rows}).values_list(
            "user_id", "kind"
        )
    )
    programs = {
        p.pk: p
        for p in Program.objects.filter(
            pk__in={r.program_id for r in rows if r.program_id}
        ).select_related("created_by")
    }
    still_due: set[int] = set()
    for kind, reminder in kinds.items():
        of_kind = [r for r in rows if r.kind == kind]
        if of_kind:
            still_due |= reminder.still_due(of_kind)
    to_send, skips = [], []
    for row in rows:
        program = programs.get(row.program_id)
        required = program is not None and row.kind in (program.required_reminders or [])
        reason = ""
        if row.kind not in kinds:
            reason = "unknown kind"
        elif not row.recipient.is_active or not row.recipient.email:
            reason = "the recipient has no active account with an address"
        elif (row.recipient_id, row.kind) in opted_out and not required:
            reason = "turned off by the recipient"
        elif row.pk not in still_due:
            reason = "no longer due"
        if reason:
            skips.append((row.pk, reason))
        else:
            to_send.append(row)
    for pk, reason in skips:
        Notification.objects.filter(pk=pk).update(status=S.SKIPPED, error=reason)
    result.skipped = len(skips)
    if not to_send:
        return result
    connection = get_connection()
    preferences = settings.KENSHU_BASE_URL.rstrip("/") + reverse("reminder_settings")
    try:
        connection.open()
        for first in range(0, len(to_send), CHUNK):
            _send_chunk(
                to_send[first : first + CHUNK], kinds, programs, preferences, connection, result
            )
    except (smtplib.SMTPException, OSError) as exc:
        # The connection or the server failed. What went out is marked sent; the message
        # being sent was refused (no 250), so it and the rest wait for the retry.
        Notification.objects.filter(
            pk__in=[r.pk for r in to_send], status__in=(S.CLAIMED, S.SENDING)
        ).update(status=S.PENDING, claim_token=None, error=f"will retry: {exc}"[:2000])
        result.retry = exc
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            connection.close()
    return result


def _send_chunk(chunk, kinds, programs, preferences, connection, result: BatchResult) -> None:
    """Mark a few rows "sending" in one UPDATE, send them, mark those that went out "sent" in
    one UPDATE. A worker killed in between leaves at most CHUNK rows "sending": they become
    interrupted (never resent by themselves); the rows it had not reached stay "claimed" and
    are sent later."""
    messages, nothing = [], []
    for row in chunk:
        program = programs.get(row.program_id)
        reply_to = program.created_by.email if program and program.created_by else None
        message = _message(row, kinds[row.kind], reply_to, preferences)
        if message is None:
            nothing.append(row.pk)
        else:
            message.connection = connection
            messages.append((row, message))
    if nothing:
        Notification.objects.filter(pk__in=nothing).update(
            status=S.SKIPPED, error="nothing to say any more"
        )
        result.skipped += len(nothing)
    Notification.objects.filter(pk__in=[row.pk for row, _m in messages]).update(status=S.SENDING)
    sent, failed = [], []
    try:
        for row, message in messages:
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                failed.append((row.pk, str(exc)))
                continue
            except smtplib.SMTPResponseException as exc:
                if 400 <= exc.smtp_code < 500:
                    raise
                failed.append((row.pk, str(exc)))
                continue
            sent.append(row.pk)
    finally:
        if sent:
            Notification.objects.filter(pk__in=sent).update(
                status=S.SENT, sent_at=timezone.now(), error=""
            )
        for pk, error in failed:  # a permanent refusal: recorded on its row
            Notification.objects.filter(pk=pk).update(status=S.FAILED, error=error[:2000])
        result.sent += len(sent)
        result.failed += len(failed)


def resend(notification_ids: list[int]) -> int:
    """An operator sends again on purpose: the rows wait to be sent once more."""
    return Notification.objects.filter(pk__in=notification_ids).update(
        status=S.PENDING, claim_token=None, claimed_at=None, error="resent by an operator"
    )
