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
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .. import registry
from ..mail import KenshuEmail
from ..models import (
    Enrollment,
    Membership,
    Notification,
    NotificationStatus,
    ReminderOptOut,
    Role,
)

OFF_SALT = "kenshu.reminder-off"
CLAIM_TIMEOUT = timedelta(minutes=15)
MAX_ATTEMPTS = 10
BATCH_SIZE = 200
CHUNK = 20  # rows marked "sending" together: at most this many become "interrupted" if a
# worker is killed in the middle of sending them
S = NotificationStatus


def off_path(user_id: int, kind: str) -> str:
    """The one-click address that turns this kind of reminder off for this person."""
    token = signing.dumps({"u": user_id, "k": kind}, salt=OFF_SALT, compress=True)
    return reverse("programs:reminder_off", args=[token])


def required_kinds(user) -> set[str]:
    """Kinds a coordinator made required in a current program of this trainee."""
    required = set()
    for kinds in (
        Enrollment.objects.active()
        .filter(trainee=user, program__end_date__gte=timezone.localdate())
        .values_list("program__required_reminders", flat=True)
    ):
        required |= set(kinds or [])
    return required


def set_wanted(user, kinds: set[str], wanted: set[str]) -> None:
    """Among `kinds`, the person receives `wanted` (and always the required ones)."""
    wanted = wanted | (required_kinds(user) & kinds)
    with transaction.atomic():
        ReminderOptOut.objects.filter(user=user, kind__in=wanted).delete()
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(user=user, kind=kind) for kind in kinds - wanted],
            ignore_conflicts=True,
        )


def turn_off(user, kind: str) -> bool:
    """One click in an email: off unless required. Returns whether it is off now."""
    if kind in required_kinds(user):
        return False
    ReminderOptOut.objects.get_or_create(user=user, kind=kind)
    return True


def dispatch(now: datetime) -> int:
    """Write a row for every reminder due now that has none yet; returns how many."""
    rows = {}
    for reminder in registry.reminders().values():
        for due in reminder.find(now):
            rows.setdefault(
                due.key[:200],
                Notification(
                    key=due.key[:200],
                    kind=due.kind,
                    recipient_id=due.recipient_id,
                    program_id=due.program_id,
                    url=due.url,
                    context=due.context,
                    due_at=due.due_at,
                ),
            )
    keys = list(rows)
    for first in range(0, len(keys), 5000):
        for known in Notification.objects.filter(key__in=keys[first : first + 5000]).values_list(
            "key", flat=True
        ):
            rows.pop(known, None)
    # Another dispatcher may write the same keys meanwhile: the unique key keeps one.
    Notification.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=1000)
    return len(rows)


def reap(now: datetime) -> int:
    """Rows left "sending" by a worker that died (their messages may have gone out) become
    interrupted and are not sent again by themselves; rows tried MAX_ATTEMPTS times fail."""
    Notification.objects.filter(
        status__in=(S.PENDING, S.CLAIMED), attempts__gte=MAX_ATTEMPTS
    ).update(status=S.FAILED, error="gave up after repeated attempts")
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
    Notification.objects.filter(pk__in=ids, attempts__lt=MAX_ATTEMPTS).filter(
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
        message = KenshuEmail(
            subject=text.subject,
            body=render_to_string("programs/email/reminder.txt", context),
            to=[user.email],
            reply_to=[reply_to] if reply_to else None,
            headers={
                # One click turns this kind off (RFC 8058); the body links to all settings.
                "List-Unsubscribe": f"<{base}{off_path(user.pk, row.kind)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
                "X-Kenshu-Reminder": row.key,
            },
        )
        message.attach_alternative(
            render_to_string("programs/email/reminder.html", context), "text/html"
        )
        for name, content, mimetype in text.attachments:
            message.attach(name, content, mimetype)
    return message


def send_batch(ids: list[int], now: datetime | None = None) -> BatchResult:
    """Claim the rows, check each is still due and wanted, and send them over one SMTP
    connection. A fixed number of reads per batch, two UPDATEs per CHUNK messages."""
    now = now or timezone.now()
    result = BatchResult()
    token, rows = claim(ids, now)
    if not rows:
        return result
    kinds = registry.reminders()
    programs = {r.program_id: r.program for r in rows if r.program_id}  # loaded by the claim
    to_send, skips = _sort_out(rows, kinds, programs, now)
    for reason, pks in skips.items():
        Notification.objects.filter(pk__in=pks, claim_token=token).update(
            status=S.SKIPPED, error=reason
        )
        result.skipped += len(pks)
    if to_send:
        _send_all(to_send, token, kinds, programs, result)
    return result


def _sort_out(rows, kinds, programs, now) -> tuple[list[Notification], dict[str, list[int]]]:
    """The rows to send, and the others by the reason they are skipped."""
    recipients = {r.recipient_id for r in rows}
    opted_out = set(
        ReminderOptOut.objects.filter(user__in=recipients).values_list("user_id", "kind")
    )
    _find_reply_addresses(programs)
    # A program's required reminders bind its trainees, not its staff.
    trainees_of = set(
        Enrollment.objects.filter(program__in=set(programs), trainee__in=recipients).values_list(
            "program_id", "trainee_id"
        )
    )
    still_due: set[int] = set()
    for kind, reminder in kinds.items():
        of_kind = [r for r in rows if r.kind == kind]
        if of_kind:
            still_due |= reminder.still_due(of_kind, now)
    to_send, skips = [], {}
    for row in rows:
        program = programs.get(row.program_id)
        required = (
            program is not None
            and row.kind in (program.required_reminders or [])
            and (row.program_id, row.recipient_id) in trainees_of
        )
        reason = _skip_reason(row, kinds, opted_out, required, still_due)
        if reason:
            skips.setdefault(reason, []).append(row.pk)
        else:
            to_send.append(row)
    return to_send, skips


def _find_reply_addresses(programs: dict) -> None:
    """Replies go to the program's creator while they coordinate its host, else to another
    of its coordinators (`program.reply_to`, None when it has none)."""
    coordinators: dict[int, dict] = {}
    for host_id, user_id, address in Membership.objects.filter(
        role=Role.COORDINATOR,
        host_company__in={p.host_id for p in programs.values()},
        user__is_active=True,
    ).values_list("host_company_id", "user_id", "user__email"):
        coordinators.setdefault(host_id, {})[user_id] = address
    for program in programs.values():
        known = coordinators.get(program.host_id, {})
        program.reply_to = known.get(program.created_by_id) or next(iter(known.values()), None)


def _skip_reason(row, kinds, opted_out, required: bool, still_due: set[int]) -> str:
    """Why a claimed row is not sent, or "" when it is."""
    if row.kind not in kinds:
        return "unknown kind"
    if not row.recipient.is_active or not row.recipient.email:
        return "the recipient has no active account with an address"
    if (row.recipient_id, row.kind) in opted_out and not required:
        return "turned off by the recipient"
    if row.pk not in still_due:
        return "no longer due"
    return ""


def _send_all(to_send, token, kinds, programs, result: BatchResult) -> None:
    """Send the rows over one SMTP connection, CHUNK at a time."""
    connection = get_connection()
    preferences = settings.KENSHU_BASE_URL.rstrip("/") + reverse("programs:reminder_settings")
    try:
        connection.open()
        for first in range(0, len(to_send), CHUNK):
            _send_chunk(
                to_send[first : first + CHUNK],
                token,
                kinds,
                programs,
                preferences,
                connection,
                result,
            )
    except (smtplib.SMTPException, OSError) as exc:
        # An error that can pass (a 4xx, the server away before the message): the rows this
        # worker still holds wait for the retry.
        Notification.objects.filter(
            pk__in=[r.pk for r in to_send], claim_token=token, status__in=(S.CLAIMED, S.SENDING)
        ).update(status=S.PENDING, claim_token=None, error=f"will retry: {exc}"[:2000])
        result.retry = exc
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            connection.close()


def _transient(exc: smtplib.SMTPRecipientsRefused) -> bool:
    """Greylisting: every recipient refused with a 4xx code."""
    return all(400 <= code < 500 for code, _message in exc.recipients.values())


@dataclass
class _Chunk:
    """What became of a chunk's rows: sent, with nothing to say, refused for good (with the
    error), and the one whose sending was under way (None between messages)."""

    sent: list[int] = field(default_factory=list)
    nothing: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    in_flight: int | None = None


def _send_chunk(
    chunk, token, kinds, programs, preferences, connection, result: BatchResult
) -> None:
    """Switch a few of this worker's rows to "sending" in one UPDATE (only rows it still
    holds: its token, still claimed), send those, mark those that went out "sent" in one
    UPDATE. A worker killed in between leaves at most CHUNK rows "sending": they become
    interrupted (never resent by themselves); the rows it had not reached stay "claimed"
    and are sent later."""
    now = timezone.now()
    pks = [row.pk for row in chunk]
    Notification.objects.filter(pk__in=pks, claim_token=token, status=S.CLAIMED).update(
        status=S.SENDING, claimed_at=now
    )
    held = set(
        Notification.objects.filter(pk__in=pks, claim_token=token, status=S.SENDING).values_list(
            "pk", flat=True
        )
    )
    outcome = _Chunk()
    try:
        for row in chunk:
            if row.pk not in held:
                continue  # taken over by another worker after a long pause: theirs now
            _send_one(row, kinds, programs, preferences, connection, outcome)
    finally:
        _record(outcome, token, result)


def _send_one(row, kinds, programs, preferences, connection, outcome: _Chunk) -> None:
    """Send one row's message, noting in `outcome` what became of it. Raises what the whole
    batch must wait for: a refusal that can pass, a failed connection."""
    try:
        program = programs.get(row.program_id)
        reply_to = program.reply_to if program else None
        message = _message(row, kinds[row.kind], reply_to, preferences)
        if message is None:
            outcome.nothing.append(row.pk)
            return
        message.connection = connection
        outcome.in_flight = row.pk
        connection.send_messages([message])
        outcome.in_flight = None
    except smtplib.SMTPRecipientsRefused as exc:
        outcome.in_flight = None
        if _transient(exc):
            raise
        outcome.failed.append((row.pk, str(exc)))
        return
    except smtplib.SMTPResponseException as exc:
        outcome.in_flight = None  # the server answered: the message was not accepted
        if 400 <= exc.smtp_code < 500:
            raise
        outcome.failed.append((row.pk, str(exc)))
        return
    except (smtplib.SMTPException, OSError):
        raise  # the connection failed; what happened to `in_flight` is unknown
    except Exception as exc:  # noqa: BLE001 -- a bad header, a template error
        outcome.in_flight = None
        outcome.failed.append((row.pk, f"{type(exc).__name__}: {exc}"))
        return
    outcome.sent.append(row.pk)


def _record(outcome: _Chunk, token, result: BatchResult) -> None:
    """Write what became of a chunk's rows, whatever stopped it."""
    mine = Notification.objects.filter(claim_token=token)
    if outcome.sent:
        mine.filter(pk__in=outcome.sent).update(status=S.SENT, sent_at=timezone.now(), error="")
    if outcome.nothing:
        mine.filter(pk__in=outcome.nothing).update(
            status=S.SKIPPED, error="nothing to say any more"
        )
    if outcome.in_flight is not None:
        # Lost in the middle of the conversation: it may have been delivered.
        mine.filter(pk=outcome.in_flight).update(
            status=S.INTERRUPTED, error="The connection failed while sending this message."
        )
    for pk, error in outcome.failed:  # a permanent refusal: recorded on its row
        mine.filter(pk=pk).update(status=S.FAILED, error=error[:2000])
    result.sent += len(outcome.sent)
    result.skipped += len(outcome.nothing)
    result.failed += len(outcome.failed)


def resend(notification_ids: list[int]) -> int:
    """An operator sends again on purpose: the rows wait to be sent once more."""
    return Notification.objects.filter(
        pk__in=notification_ids, status__in=(S.SENT, S.SKIPPED, S.FAILED, S.INTERRUPTED)
    ).update(
        status=S.PENDING,
        claim_token=None,
        claimed_at=None,
        attempts=0,
        error="resent by an operator",
    )
