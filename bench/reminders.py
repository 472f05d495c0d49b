"""Benchmark (not a test): the daily reflection reminder for 10,000 enrolments in running
programs, dispatched and sent by a real Celery worker on Redis into a local SMTP sink, against
the floor: the same number of messages sent by a plain loop over Django's mail API on one
connection. Prints the time, messages per second, duplicates (must be 0) and the ratio.

    .venv/bin/python bench/reminders.py [--enrolments 10000] [--workers 1]

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL; defaults: a database of its own on
127.0.0.1 and Redis database 0)."""

import argparse
import email
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Sink:
    """An SMTP server that keeps nothing but a count per reminder key."""

    def __init__(self):
        self.keys: Counter = Counter()
        self.total = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        key = email.message_from_bytes(envelope.content).get("X-Kenshu-Reminder", "")
        with self.lock:
            self.total += 1
            if key:
                self.keys[key] += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def five_days_of_work(programs, today) -> None:
    """A morning of work on each of five days, from yesterday, in each program."""
    from programs.models import Activity

    Activity.objects.bulk_create(
        Activity(
            program=p,
            date=today + timedelta(days=d - 1),
            start_time="10:00",
            end_time="12:00",
            title="業務",
            kind="work",
        )
        for p in programs
        for d in range(5)
    )


def seed(enrolments: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from programs.models import (
        Activity,
        Enrollment,
        HostCompany,
        Municipality,
        Notification,
        Program,
        TraineeProfile,
        User,
    )

    Notification.objects.all().delete()
    from trainees.models import DailyReflection

    DailyReflection.objects.all().delete()
    Enrollment.objects.all().delete()
    Activity.objects.all().delete()
    Program.objects.all().delete()
    TraineeProfile.objects.all().delete()
    User.objects.filter(email__startswith="r").delete()
    host, _ = HostCompany.objects.get_or_create(name="ベンチ株式会社")
    municipality, _ = Municipality.objects.get_or_create(
        code="402061", defaults={"name": "田川市", "prefecture": 40}
    )
    today = timezone.localdate()
    users = User.objects.bulk_create(
        User(email=f"r{i}@example.org", family_name=f"研修{i}", given_name="花子", password="!")
        for i in range(enrolments)
    )
    TraineeProfile.objects.bulk_create(
        TraineeProfile(user=u, municipality=municipality, department="総務課") for u in users
    )
    programs = Program.objects.bulk_create(
        Program(
            host=host,
            title=f"ITベンチャー研修 {i:03d}",
            start_date=today - timedelta(days=1),  # since yesterday: the first survey closed
            end_date=today + timedelta(days=3),
            fiscal_year=today.year if today.month >= 4 else today.year - 1,
            status="published",
            reminder_time="00:00",  # due at once, whatever time the benchmark runs
            reflection_deadline="23:59",
        )
        for i in range((enrolments + 49) // 50)
    )
    five_days_of_work(programs, today)
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(program=programs[i // 50], trainee=u, municipality=municipality)
        for i, u in enumerate(users)
    )
    # Yesterday's reflections are in: only today's evening reminder is due.
    from trainees.models import DailyReflection

    DailyReflection.objects.bulk_create(
        DailyReflection(
            enrollment=e,
            date=today - timedelta(days=1),
            did="業務",
            self_rating=4,
            status="submitted",
            submitted_at=timezone.now(),
        )
        for e in enrollments
    )


def floor(count: int, port: int) -> float:
    """The same number of plain messages over one connection, in one loop."""
    from django.core.mail import EmailMultiAlternatives, get_connection

    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=port
    )
    connection.open()
    start = time.perf_counter()
    for i in range(count):
        message = EmailMultiAlternatives(
            "今日の振り返りを 23:59 までに書いてください",
            "研修9 花子 様\n\n今日の振り返りがまだ提出されていません。\nhttp://x/my/\n",
            to=[f"floor{i}@example.org"],
            connection=connection,
        )
        message.attach_alternative("<p>今日の振り返りがまだ提出されていません。</p>", "text/html")
        connection.send_messages([message])
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def start_workers(count: int) -> list:
    env = {**os.environ, "KENSHU_VAR_DIR": "/tmp/kenshu-bench-var"}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
    command += ["--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    return [
        subprocess.Popen([*command, f"--hostname=bench{n}@%h"], cwd=ROOT, env=env)
        for n in range(count)
    ]


def dispatch_and_send(redis: str, workers: int, sink, expected: int) -> tuple[float, float]:
    """Seconds until the dispatcher has written its rows, and until every reminder is sent
    (or nothing is left to send)."""
    from celery import Celery

    from programs.models import Notification

    client = Celery("bench", broker=redis, backend=redis)
    running = start_workers(workers)
    try:
        client.send_task("programs.tasks.ping").get(timeout=60)  # the workers are up
        start = time.perf_counter()
        client.send_task("programs.tasks.dispatch_reminders").get(timeout=600)
        dispatched = time.perf_counter() - start
        while time.perf_counter() - start < 900:
            waiting = Notification.objects.filter(status__in=["pending", "claimed", "sending"])
            if sink.total >= expected or not waiting.exists():
                break
            time.sleep(0.2)
        return dispatched, time.perf_counter() - start
    finally:
        for worker in running:
            worker.terminate()
        for worker in running:
            worker.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enrolments", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    database_url = os.environ.get(
        "DATABASE_URL", "postgres://root@127.0.0.1:5432/kenshu_bench_reminders"
    )
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    from bench.week_seed import ensure_database

    ensure_database(database_url)
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        }
    )
    import django

    django.setup()
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the sink's own chatter
    seed(args.enrolments)
    print(f"seeded: {args.enrolments} enrolments in running programs")
    from programs.models import Notification

    dispatched, elapsed = dispatch_and_send(redis, args.workers, sink, args.enrolments)
    received = sink.total
    duplicates = sum(n - 1 for n in sink.keys.values() if n > 1)
    unsent = Notification.objects.exclude(status="sent").count()
    base = floor(received, port)
    controller.stop()
    print(f"\nreminders sent           {received}")
    print(f"duplicates               {duplicates}")
    print(f"rows not sent            {unsent}")
    print(f"dispatch (rows written)  {dispatched:.1f} s")
    print(f"dispatch + send          {elapsed:.1f} s   {received / elapsed:.0f} messages/s")
    print(f"floor (plain loop)       {base:.1f} s   {received / base:.0f} messages/s")
    print(f"ratio to the floor       {elapsed / base:.2f}   (target: at most 2.00)")


if __name__ == "__main__":
    main()
