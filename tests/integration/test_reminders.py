"""Reminders against a real SMTP server on a loopback port (aiosmtpd), and two real worker
processes on PostgreSQL and Redis racing for the same rows: every reminder arrives once."""

import email
import socket
import threading
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from config.celery_app import app as celery_app
from programs.models import Notification, NotificationStatus
from programs.services import reminders as svc

from ..factories import ProgramFactory, TraineeProfileFactory, UserFactory, add_activity, enrol
from .conftest import celery_worker, client_app, wait_for, worker_env

S = NotificationStatus


class CountingHandler:
    """Accepts every message and counts them by reminder key; refuses addresses that start
    with "refuse"; answers 451 (try later) to the DATA commands listed in `temporary`."""

    def __init__(self, temporary=()):
        self.keys: Counter = Counter()
        self.data_commands = 0
        self.temporary = set(temporary)
        self.greylisted: set = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 No such user here"
        if address.startswith("grey") and address not in self.greylisted:
            self.greylisted.add(address)  # greylisting: come back later
            return "450 4.2.0 Greylisted, try again"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_commands += 1
            if self.data_commands in self.temporary:
                return "451 4.3.0 Try again later"
            message = email.message_from_bytes(envelope.content)
            self.keys[message["X-Kenshu-Reminder"]] += 1
        return "250 OK"


@pytest.fixture
def smtp():
    def start(temporary=()):
        handler = CountingHandler(temporary)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        return handler, port

    started = []
    yield start
    for controller in started:
        controller.stop()


def running_program(host, trainees, day):
    """Since yesterday until tomorrow (no survey open today)."""
    program = ProgramFactory(
        host=host, start_date=day - timedelta(days=1), end_date=day + timedelta(days=1)
    )
    for offset in range(3):
        add_activity(program, program.start_date + timedelta(days=offset), "10:00", "11:00")
    for trainee in trainees:
        enrol(program, trainee)
    return program


def evening(day):
    return timezone.make_aware(datetime.combine(day, time(18, 0)))


def dispatch_tonight(host, trainees):
    """A running program with `trainees`, and this evening's reminders made for them: the
    evening's moment."""
    today = reminder_day()
    running_program(host, trainees, today)
    now = evening(today)
    svc.dispatch(now)
    return now


def reminder_day():
    """The day whose evening reminders the test sends. The senders (workers in other
    processes) check a reflection reminder against the clock they read: before 23:59 of its
    day. Close to midnight in Japan the test takes tomorrow's, so it passes at any hour."""
    now = timezone.localtime()
    return now.date() + timedelta(days=1 if now.time() >= time(23, 30) else 0)


@pytest.mark.django_db
def test_a_refused_address_is_recorded_and_temporary_refusals_retried(smtp, settings, host, tagawa):
    handler, port = smtp(temporary={2})  # the second message is refused for now
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    people = [
        TraineeProfileFactory(user=UserFactory(email=f"t{i}@example.org"), municipality=tagawa).user
        for i in range(4)
    ]
    for address in ("grey@example.org", "refuse@example.org"):
        people.append(
            TraineeProfileFactory(user=UserFactory(email=address), municipality=tagawa).user
        )
    now = dispatch_tonight(host, people)
    Notification.objects.exclude(kind="reflection").delete()  # yesterday's morning rows
    from programs.tasks import send_reminder_batch

    celery_app.conf.task_eager_propagates = False  # eager mode re-runs a retry at once
    try:
        for ids in svc.due_batches(now):
            send_reminder_batch.delay(ids)
    finally:
        celery_app.conf.task_eager_propagates = True
    statuses = dict(Notification.objects.values_list("recipient__email", "status"))
    assert statuses.pop("refuse@example.org") == S.FAILED
    assert set(statuses.values()) == {S.SENT}
    assert "550" in Notification.objects.get(recipient__email="refuse@example.org").error
    assert handler.greylisted == {"grey@example.org"}  # refused for now, sent on the retry
    assert len(handler.keys) == 5 and set(handler.keys.values()) == {1}  # once each


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_rows_send_each_reminder_once(tmp_path, smtp, host, tagawa):
    handler, port = smtp()
    env = worker_env(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    url = env["REDIS_URL"]
    trainees = [
        TraineeProfileFactory(user=UserFactory(), municipality=tagawa).user for _ in range(240)
    ]
    now = dispatch_tonight(host, trainees)
    svc.dispatch(now)  # a second beat: nothing new
    Notification.objects.exclude(kind="reflection").delete()
    assert Notification.objects.count() == 240
    batches = svc.due_batches(now, size=40)
    client = client_app(url, url)
    with celery_worker(env, tmp_path, "w1"), celery_worker(env, tmp_path, "w2"):
        for ids in batches * 2:  # every batch handed out twice, as two beats would
            client.send_task("programs.tasks.send_reminder_batch", args=[ids])
        done = wait_for(
            lambda: not Notification.objects.exclude(status=S.SENT).exists(), timeout=120
        )
    logs = (tmp_path / "w1.log").read_text() + (tmp_path / "w2.log").read_text()
    assert done, logs[-3000:]
    assert sum(handler.keys.values()) == 240, logs[-3000:]
    assert set(handler.keys.values()) == {1}  # no duplicate
    assert "w1@" in logs and "w2@" in logs


class SlowHandler(CountingHandler):
    """Takes a moment per message, so a worker can be killed in the middle of a batch."""

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(tmp_path, host, tagawa):
    """SIGKILL a worker while it sends; once its claim has expired, the next tick (a second
    worker) sends what it had not reached and marks what it may have been sending as
    interrupted, never sending those again by itself."""
    import signal

    handler = SlowHandler()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = worker_env(EMAIL_URL=f"smtp://127.0.0.1:{port}")
    url = env["REDIS_URL"]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        trainees = [
            TraineeProfileFactory(user=UserFactory(), municipality=tagawa).user for _ in range(120)
        ]
        dispatch_tonight(host, trainees)
        Notification.objects.exclude(kind="reflection").delete()
        # Due by the clock the workers read, whatever time of day the test runs.
        Notification.objects.update(due_at=timezone.now() - timedelta(minutes=1))
        ids = list(Notification.objects.values_list("pk", flat=True))
        client = client_app(url, url)
        with celery_worker(env, tmp_path, "doomed") as doomed:
            client.send_task("programs.tasks.send_reminder_batch", args=[ids])
            assert wait_for(lambda: handler.data_commands >= 30, timeout=90)
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(timeout=20)
        received_before = sum(handler.keys.values())
        assert 0 < received_before < 120
        # Time passes beyond the claim timeout.
        Notification.objects.filter(status__in=[S.CLAIMED, S.SENDING]).update(
            claimed_at=timezone.now() - svc.CLAIM_TIMEOUT - timedelta(minutes=1)
        )
        with celery_worker(env, tmp_path, "next"):
            client.send_task("programs.tasks.dispatch_reminders")
            assert wait_for(
                lambda: (
                    not Notification.objects.filter(
                        status__in=[S.PENDING, S.CLAIMED, S.SENDING]
                    ).exists()
                ),
                timeout=120,
            ), (tmp_path / "next.log").read_text()[-3000:]
    finally:
        controller.stop()
    assert set(handler.keys.values()) == {1}  # nothing twice
    statuses = Counter(
        Notification.objects.filter(kind="reflection").values_list("status", flat=True)
    )
    assert statuses[S.SENT] + statuses[S.INTERRUPTED] == 120
    assert statuses[S.INTERRUPTED] <= svc.CHUNK
    # Every row marked sent reached the server; only interrupted ones may be unknown.
    sent_keys = set(
        Notification.objects.filter(kind="reflection", status=S.SENT).values_list("key", flat=True)
    )
    assert sent_keys <= set(handler.keys)
