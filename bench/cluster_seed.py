"""The rehearsal's people (bench/cluster.py): one host, coordinators, and trainees in programs
running today, whose evening reflection reminder is due at once (reminder_time 00:00)."""

from datetime import timedelta


def seed(users: int, password: str) -> dict:
    """One coordinator for every four trainees (at least one): e-mail → what they are."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from bench.reminders import five_days_of_work
    from programs.models import (
        Enrollment,
        HostCompany,
        Membership,
        Municipality,
        Program,
        Role,
        TraineeProfile,
        User,
    )

    coordinators = max(1, users // 5)
    trainees = users - coordinators
    encoded = make_password(password)  # hashed once, as slowly as production hashes
    host = HostCompany.objects.create(name="リハーサル株式会社")
    municipality, _ = Municipality.objects.get_or_create(
        code="402061", defaults={"name": "田川市", "prefecture": 40}
    )
    today = timezone.localdate()
    programs = [
        Program.objects.create(
            host=host,
            title=f"ITベンチャー研修 リハーサル{i + 1}",
            start_date=today - timedelta(days=1),
            end_date=today + timedelta(days=3),
            status="published",
            reminder_time="00:00",  # the reminder is due at once, whatever the hour
            reflection_deadline="23:59",
        )
        for i in range((trainees + 7) // 8)
    ]
    five_days_of_work(programs, today)
    people = {}

    def person(name: str, family_name: str):
        return User.objects.create(
            email=f"{name}@rehearsal.example",
            family_name=family_name,
            given_name=name.removeprefix("coordinator").removeprefix("trainee"),
            password=encoded,
        )

    for i in range(coordinators):
        user = person(f"coordinator{i + 1}", "調整")
        Membership.objects.create(user=user, role=Role.COORDINATOR, host_company=host)
        people[user.email] = {"role": "coordinator", "programs": [p.pk for p in programs]}
    for i in range(trainees):
        user = person(f"trainee{i + 1}", "研修")
        TraineeProfile.objects.create(user=user, municipality=municipality, department="総務課")
        program = programs[i % len(programs)]
        enrollment = Enrollment.objects.create(
            program=program, trainee=user, municipality=municipality
        )
        people[user.email] = {
            "role": "trainee",
            "program": program.pk,
            "enrollment": enrollment.pk,
            "day": today.isoformat(),
        }
    return people
