"""The data bench/week_pages.py serves: 200 programs, 2,000 trainees and their weeks, a
second host's program, and a trip with legs, seminars and expenses in the current program.
A seeder: long by nature (docs/architecture.md)."""

from datetime import date, timedelta


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
    municipality = Municipality.objects.get(code="402061")  # 田川市, from the registry
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
