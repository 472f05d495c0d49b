"""Page throughput of the list, grid and dashboard pages, as a ratio to a trivial view behind
the same login, middleware and session (target: each page at least 0.30 without the cache).

Seeds 200 programs, 2,000 trainees and their weeks (and a second host's program) into a
database of its own, serves it with gunicorn (2 workers) and loads it with wrk (Debian
package `wrk`) from a second process. Each page's ratio is to the trivial view measured just
before it (the trivial line shows their mean). Three times:
- cold: the fragment cache switched off (KENSHU_FRAGMENT_CACHE=false): every page drawn;
- warm: the fragment cache on, nobody writing;
- mixed: the cache on while a writer process makes one write per twenty reads of the page
  (an activity renamed: half in this host's program, half in the other host's).

    .venv/bin/python bench/week_pages.py [--seconds 10] [--connections 8]
        [--columns cold] [--reuse] [page-name-fragment ...]

A fragment ("program list", "trip") measures only the pages whose name holds it; `--columns`
picks some of the three columns; `--reuse` serves the database a previous run seeded.

DATABASE_URL defaults to postgres://root@127.0.0.1:5432/kenshu_bench (created if missing).
"""

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
PORT = 8765


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname=%s", [name]).fetchone()
        if exists:
            conn.execute(f'drop database "{name}" with (force)')
        conn.execute(f'create database "{name}"')


def seed() -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.core.cache import cache

    cache.clear()
    from programs.models import (
        Activity,
        Enrollment,
        HostCompany,
        Membership,
        Municipality,
        Program,
        Role,
        TemplateActivity,
        TraineeProfile,
        User,
        WeekTemplate,
    )

    host = HostCompany.objects.create(name="ベンチ株式会社")
    coordinator = User.objects.create_user("bench@example.org", "bench-password")
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, host_company=host)
    municipality = Municipality.objects.create(name="田川市", prefecture=40, code="402061")
    users = User.objects.bulk_create(
        User(email=f"t{i}@example.org", family_name=f"研修{i}", given_name="太郎", password="!")
        for i in range(2000)
    )
    TraineeProfile.objects.bulk_create(
        TraineeProfile(user=u, municipality=municipality, department="総務課", position="主事")
        for u in users
    )
    items = list(
        TemplateActivity.objects.filter(template=WeekTemplate.objects.get(host__isnull=True))
    )
    programs = []
    for i in range(200):
        start = date(2026, 4, 6) + timedelta(days=7 * (i % 48))
        programs.append(
            Program(
                host=host,
                title=f"ITベンチャー研修 {i:03d}",
                start_date=start,
                end_date=start + timedelta(days=4),
                status="published",
                fiscal_year=start.year if start.month >= 4 else start.year - 1,
            )
        )
    Program.objects.bulk_create(programs)
    Enrollment.objects.bulk_create(
        Enrollment(
            program=programs[i // 10],
            trainee=u,
            municipality=municipality,
            department="総務課",
            position="主事",
        )
        for i, u in enumerate(users)
    )
    Activity.objects.bulk_create(
        Activity(
            program=p,
            date=p.start_date + timedelta(days=it.day_index),
            start_time=it.start_time,
            end_time=it.end_time,
            title=it.title,
            kind=it.kind,
            place=it.place,
        )
        for p in programs
        for it in items
    )
    # Today inside one program, so the dashboard has trainees on site.
    today = date.today()
    current = programs[0]
    Program.objects.filter(pk=current.pk).update(
        start_date=today - timedelta(days=1), end_date=today + timedelta(days=3)
    )
    # Reflections: every trainee of the first 20 programs wrote each day, half of them
    # submitted and waiting, the rest reviewed, a comment on each.
    from django.utils import timezone

    from trainees.models import DailyReflection, ReflectionComment

    now = timezone.now()
    enrollments = Enrollment.objects.filter(program__in=programs[:20]).select_related("program")
    DailyReflection.objects.bulk_create(
        DailyReflection(
            enrollment=e,
            date=e.program.start_date + timedelta(days=d),
            did="説明会の受付を担当した。" * 5,
            learned="住民の声を直接聞くことの大切さ。" * 5,
            self_rating=4,
            status="submitted" if (e.pk + d) % 2 else "reviewed",
            submitted_at=now,
            revision=1,
            submitted_revision=1,
        )
        for e in enrollments
        for d in range(5)
    )
    ReflectionComment.objects.bulk_create(
        ReflectionComment(reflection=r, author=coordinator, body="確認しました。")
        for r in DailyReflection.objects.all()
    )
    current.refresh_from_db()  # its new dates, so the trip falls inside the program
    trip = seed_trip(current, coordinator)
    # A second host, writing in the "mixed" run: its writes must leave this host's pages cached.
    other = HostCompany.objects.create(name="別ホスト株式会社")
    theirs = Program.objects.create(
        host=other,
        title="別ホストの研修",
        start_date=today,
        end_date=today + timedelta(days=4),
        status="published",
        fiscal_year=today.year if today.month >= 4 else today.year - 1,
    )
    for program in (current, theirs):
        Activity.objects.create(
            program=program,
            date=program.start_date,
            start_time="07:00",
            end_time="07:30",
            title="書き換えられる活動",
            kind="work",
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a running database has them
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    return {
        "cookie": client.cookies["sessionid"].value,
        "program": current.pk,
        "trip": trip.pk,
        "activities": Activity.objects.count(),
        "reflections": DailyReflection.objects.count(),
    }


def seeded() -> dict:
    """What `seed()` returned, read back from the database a previous run seeded."""
    import django

    django.setup()
    from django.test import Client

    from programs.models import Activity, Program, User
    from seminars.models import Trip
    from trainees.models import DailyReflection

    current = Program.objects.get(title="ITベンチャー研修 000")
    client = Client()
    client.force_login(User.objects.get(email="bench@example.org"))
    return {
        "cookie": client.cookies["sessionid"].value,
        "program": current.pk,
        "trip": Trip.objects.get(program=current).pk,
        "activities": Activity.objects.count(),
        "reflections": DailyReflection.objects.count(),
    }


def wrk(url: str, cookie: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Cookie: sessionid={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * scale,
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def seed_trip(program, coordinator):
    """The current program's trip: its ten trainees and the coordinator on seven legs, four
    seminars, fares and 日当/宿泊料 for everyone (about 100 expense lines)."""
    from datetime import datetime, time

    from django.utils import timezone

    from seminars.models import Expense, Leg, Seminar, Trip

    first = program.start_date + timedelta(days=1)
    trip = Trip.objects.create(
        program=program,
        purpose="地域ワーカー向け説明会・企業向けセミナーの開催",
        start_date=first,
        end_date=first + timedelta(days=1),
        lodging="伊那市内のビジネスホテル",
        status="confirmed",
    )
    enrollments = list(program.enrollments.all())
    trip.trainees.set(enrollments)
    trip.staff.set([coordinator])
    legs = Leg.objects.bulk_create(
        Leg(
            trip=trip,
            mode="rail",
            origin_place=f"駅{i}",
            destination=f"駅{i + 1}",
            depart_at=timezone.make_aware(datetime.combine(first, time(7 + i, 0))),
            arrive_at=timezone.make_aware(datetime.combine(first, time(7 + i, 45))),
            service=f"特急 {i}号",
            fare=1000 + i * 100,
        )
        for i in range(7)
    )
    Seminar.objects.bulk_create(
        Seminar(
            program=program,
            trip=trip,
            kind="workshop",
            title=f"ワークショップ {i}",
            date=first,
            start_time=time(15 + i, 0),
            end_time=time(15 + i, 45),
            venue="松本商工会議所",
        )
        for i in range(4)
    )
    Expense.objects.bulk_create(
        [
            Expense(
                trip=trip,
                leg=leg,
                enrollment=e,
                category="rail",
                amount=leg.fare,
                payer="municipality",
                note=str(leg),
            )
            for leg in legs
            for e in enrollments
        ]
        + [
            Expense(trip=trip, enrollment=e, category=c, amount=a, payer="municipality")
            for e in enrollments
            for c, a in (("daily", 4400), ("lodging", 10900))
        ]
    )
    return trip


def page_paths(program: int, trip: int) -> dict[str, str]:
    return {
        "trivial view": "/bench/trivial/",
        "program list (50 rows)": "/programs/",
        "week grid": f"/programs/{program}/week/",
        "dashboard": "/host/",
        "reflection matrix (10×5)": f"/programs/{program}/reflections/",
        "new reflections (50 of 500)": "/reflections/new/",
        "interviews (list)": f"/programs/{program}/interviews/",
        "trips (list)": f"/programs/{program}/trips/",
        "trip page (10×7 legs)": f"/programs/{program}/trips/{trip}/",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--columns", default="cold,warm,mixed")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("only", nargs="*")
    args = parser.parse_args()
    columns = [c for c in ("cold", "warm", "mixed") if c in args.columns.split(",")]
    if "mixed" in columns and "warm" not in columns:
        parser.error("the mixed column writes at a twentieth of the warm rate: measure warm too")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    if args.reuse:
        info = seeded()
    else:
        ensure_database(
            os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/kenshu_bench")
        )
        info = seed()
    print(
        f"seeded: 200 programs, 2000 trainees, {info['activities']} activities, "
        f"{info['reflections']} reflections"
    )
    base = f"http://127.0.0.1:{PORT}"
    pages = {
        name: path
        for name, path in page_paths(info["program"], info["trip"]).items()
        if name == "trivial view" or not args.only or any(f in name for f in args.only)
    }
    results = {}
    for column, cache_on in (("cold", False), ("warm", True), ("mixed", True)):
        if column not in columns:
            continue
        with serving(cache_on):
            for path in pages.values():  # warm up every worker
                wrk(base + path, info["cookie"], 1, args.connections)
            trivial_runs = []
            for name, path in pages.items():
                if name == "trivial view":
                    continue
                # The trivial view again just before each page: this machine's speed drifts
                # by a fifth over minutes, and each ratio takes the floor measured beside it.
                floor = wrk(
                    base + pages["trivial view"], info["cookie"], args.seconds, args.connections
                )
                trivial_runs.append(floor)
                writes = None
                if column == "mixed":
                    rate = results[(name, "warm")]["rps"] / 20
                    writes = start_writer(rate, args.seconds)
                results[(name, column)] = wrk(
                    base + path, info["cookie"], args.seconds, args.connections
                )
                results[(name, column)]["floor"] = floor["rps"]
                if writes is not None:
                    results[(name, column)]["writes"] = stop_writer(writes)
            results[("trivial view", column)] = {
                "rps": sum(r["rps"] for r in trivial_runs) / len(trivial_runs),
                "p99_ms": max(r["p99_ms"] for r in trivial_runs),
                "errors": sum(r["errors"] for r in trivial_runs),
            }
            results[("trivial view", column)]["floor"] = results[("trivial view", column)]["rps"]
    print(f"\n{'page':<28}" + "".join(f"{c:>22}" for c in columns))
    print(f"{'':<28}" + "".join(f"{'req/s  ratio  p99ms':>22}" for _ in columns))
    for name in pages:
        cells = []
        for column in columns:
            r = results[(name, column)]
            cells.append(f"{r['rps']:>9.0f}{r['rps'] / r['floor']:>7.2f}{r['p99_ms']:>6.0f}")
        flag = ""
        if "cold" in columns and name != "trivial view":
            ratio = results[(name, "cold")]["rps"] / results[(name, "cold")]["floor"]
            flag = "" if ratio >= 0.30 else "  cold below 0.30"
        errors = sum(results[(name, c)]["errors"] for c in columns)
        writes = results[(name, "mixed")].get("writes") if "mixed" in columns else None
        extra = f"  errors {errors}" if errors else ""
        extra += f"  ({writes} writes)" if writes is not None else ""
        print(f"{name:<28}" + "".join(f"{c:>22}" for c in cells) + flag + extra)


@contextlib.contextmanager
def serving(cache_on: bool):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "KENSHU_FRAGMENT_CACHE": "true" if cache_on else "false",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait(timeout=20)


WRITER = """
import sys, time
import django
django.setup()
from programs.models import Activity
rate, seconds = float(sys.argv[1]), float(sys.argv[2])
found = Activity.objects.filter(title__startswith="書き換えられる活動")
rows = list(found.order_by("program__host"))
end, n = time.monotonic() + seconds, 0
while time.monotonic() < end:
    row = rows[n % len(rows)]  # this host's, then the other host's
    row.title = f"書き換えられる活動 {n}"
    row.save(update_fields=["title"])
    n += 1
    time.sleep(1 / rate)
print(n)
"""


def start_writer(rate: float, seconds: int):
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(max(rate, 0.1)), str(seconds)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )


def stop_writer(writer) -> int:
    out, _err = writer.communicate(timeout=60)
    return int(out.strip() or 0)


if __name__ == "__main__":
    main()
