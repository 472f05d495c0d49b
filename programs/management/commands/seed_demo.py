"""Demo data: the scenario of the design notes, so a newcomer sees a living installation.

Idempotent: a second run finds every row and changes nothing. Refuses production settings."""

from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from programs import calendar_days, registry
from programs.models import (
    Activity,
    HostCompany,
    Membership,
    Municipality,
    Program,
    Role,
    Status,
    TraineeProfile,
    User,
    WeekTemplate,
)
from programs.prefectures import Prefecture
from programs.services import programs as program_services
from programs.services import week_templates

DEMO_PASSWORD = "kenshu-demo"

MUNICIPALITIES = [
    # (code, name, prefecture)
    ("402061", "田川市", Prefecture.FUKUOKA),
    ("203831", "箕輪町", Prefecture.NAGANO),
    ("202029", "松本市", Prefecture.NAGANO),
    ("012084", "北見市", Prefecture.HOKKAIDO),
]
HOST = "はたらくラボ株式会社（デモ）"
DEMO_TITLE = "ITベンチャー研修（田川市・デモ）"
PAST_TITLE = "ITベンチャー研修（前回・田川市）"
OTHER_HOST = "ノースベンチャーズ株式会社（デモ）"

PEOPLE = [
    # email, family, given, family kana, given kana, (role, organisation key) or trainee tuple
    ("coordinator@example.com", "佐藤", "美咲", "さとう", "みさき", ("coordinator", HOST)),
    ("staff@example.com", "鈴木", "健太", "すずき", "けんた", ("staff", HOST)),
    ("supervisor@example.com", "中村", "浩二", "なかむら", "こうじ", ("supervisor", "402061")),
    (
        "trainee1@example.com",
        "田中",
        "翔",
        "たなか",
        "しょう",
        ("trainee", "402061", "総務部 企画課", "主事"),
    ),
    (
        "trainee2@example.com",
        "山本",
        "彩花",
        "やまもと",
        "あやか",
        ("trainee", "402061", "産業振興課", "主事"),
    ),
    (
        "trainee3@example.com",
        "小林",
        "陽菜",
        "こばやし",
        "はるな",
        ("trainee", "012084", "企画総務部 企画課", "主事"),
    ),
    (
        "other-coordinator@example.com",
        "高橋",
        "誠",
        "たかはし",
        "まこと",
        ("coordinator", OTHER_HOST),
    ),
    # The scheme office (事務局): its tour starts at the demo's call (scheme/demo.py).
    ("office@example.com", "渡辺", "恵", "わたなべ", "めぐみ", ("office",)),
    (
        "other-trainee@example.com",
        "伊藤",
        "大輝",
        "いとう",
        "だいき",
        ("trainee", "012084", "市民協働課", "主任"),
    ),
]

# The numbers the trip's travellers call (shown on the itinerary and the trip page); the
# 0000 blocks are not given to anyone.
DEMO_PHONES = {
    "coordinator@example.com": "090-0000-1234",
    "staff@example.com": "080-0000-5678",
}

# The rows the data migrations make (the built-in week, survey and interview templates). A
# database emptied by hand or by a test's flush has lost them; the demo makes them again.
BUILT_INS = (
    "programs.migrations.0003_builtin_week_template",
    "trainees.migrations.0002_built_in_question_set",
    "trainees.migrations.0004_built_in_interview_template",
)


def ensure_built_ins() -> None:
    """Each data migration's `create`, run with the live models (each makes its row only if
    it is missing)."""
    for module in BUILT_INS:
        import_module(module).create(django_apps, None)


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (password: kenshu-demo). Idempotent."

    def handle(self, *args, **options):
        # The development settings (`make run`) keep DEBUG off unless asked for.
        if getattr(settings, "KENSHU_ENVIRONMENT", "") == "production" or not (
            settings.DEBUG or settings.KENSHU_ENVIRONMENT in ("development", "test")
        ):
            raise CommandError("seed_demo refuses to run with production settings.")
        with transaction.atomic():
            ensure_built_ins()
            created = self.seed()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({created} new rows).")
            if created
            else "Demo data already present: nothing changed."
        )

    def seed(self) -> int:
        created = 0
        municipalities = {}
        for code, name, prefecture in MUNICIPALITIES:
            municipalities[code], new = Municipality.objects.get_or_create(
                code=code, defaults={"name": name, "prefecture": prefecture}
            )
            created += new
        hosts = {}
        for name in (HOST, OTHER_HOST):
            hosts[name], new = HostCompany.objects.get_or_create(name=name)
            created += new
        for email, family, given, family_kana, given_kana, grant in PEOPLE:
            user, new = User.objects.get_or_create(
                email=email,
                defaults={
                    "family_name": family,
                    "given_name": given,
                    "family_name_kana": family_kana,
                    "given_name_kana": given_kana,
                },
            )
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
            _, new = EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            created += new
            created += self.grant(user, grant, hosts, municipalities)
        created += self.seed_programs(hosts)
        today = timezone.localdate()
        created += registry.seed_demo(
            {
                "today": today,
                "current": Program.objects.get(host=hosts[HOST], title=DEMO_TITLE),
                "past": Program.objects.get(host=hosts[HOST], title=PAST_TITLE),
                "people": {email: User.objects.get(email=email) for email, *_rest in PEOPLE},
                "hosts": hosts,
            }
        )
        return created

    def seed_programs(self, hosts) -> int:
        """The week of the design notes, running now (today is its third day), and a finished
        program two months ago. A later run on another day moves the running program so that
        it is running again; on the same day it changes nothing."""
        today = timezone.localdate()
        coordinator = User.objects.get(email="coordinator@example.com")
        staff = User.objects.get(email="staff@example.com")
        created = 0
        current, new = self.program(
            hosts[HOST],
            DEMO_TITLE,
            today - timedelta(days=2),
            coordinator,
            ["ITベンチャーの仕事の進め方を知る", "スピード感と意思決定を体験する"],
            ["自治体を「働き方を選べる社会」づくりのパートナーに"],
        )
        created += new
        if not new and not current.start_date <= today <= current.end_date:
            self.shift(current, today - timedelta(days=2) - current.start_date)
        past_start = today.replace(day=1) - timedelta(days=40)
        past_start -= timedelta(days=past_start.weekday())
        # A week with no national holiday, so that its five days take the five-day template.
        while calendar_days.national_holidays(past_start, past_start + timedelta(days=4)):
            past_start -= timedelta(days=7)
        past, new = self.program(
            hosts[HOST],
            PAST_TITLE,
            past_start,
            coordinator,
            ["クラウドソーシングを行政サービスに生かす"],
            ["地域での仕事の機会を広げる"],
        )
        created += new
        for program, skip_weekends in ((current, False), (past, True)):
            if not program.activities.exists():
                self.build_week(program, coordinator, staff, skip_weekends)
                created += 1
            # trainee3 comes from another municipality (北見市), on other travel rules.
            for email in ("trainee1@example.com", "trainee2@example.com", "trainee3@example.com"):
                trainee = User.objects.get(email=email)
                if not program.enrollments.filter(trainee=trainee).exists():
                    program_services.enroll(program, trainee, by=coordinator, mentor=staff)
                    created += 1
        other_coordinator = User.objects.get(email="other-coordinator@example.com")
        other, new = self.program(
            hosts[OTHER_HOST],
            "地域DX研修（北見市）",
            today - timedelta(days=1),
            other_coordinator,
            ["デジタル化の進め方を学ぶ"],
            [],
        )
        created += new
        if new:
            trainee = User.objects.get(email="other-trainee@example.com")
            program_services.enroll(other, trainee, by=other_coordinator)
            week_templates.apply_template(
                other,
                WeekTemplate.objects.get(host__isnull=True),
                skip_weekends=False,
                by=other_coordinator,
            )
        return created

    def program(self, host, title, start, by, municipality_aims, host_aims):
        program = Program.objects.filter(host=host, title=title).first()
        if program:
            return program, False
        program = Program(
            host=host,
            title=title,
            start_date=start,
            end_date=start + timedelta(days=4),
            status=Status.PUBLISHED,
            municipality_aims=municipality_aims,
            host_aims=host_aims,
        )
        program_services.save_program(program, by=by)
        return program, True

    def build_week(self, program, coordinator, staff, skip_weekends) -> None:
        template = WeekTemplate.objects.get(host__isnull=True)
        week_templates.apply_template(
            program, template, skip_weekends=skip_weekends, by=coordinator
        )
        # Facilitators, as a host would set them.
        for activity in program.activities.all():
            if activity.kind in ("orientation", "interview", "reflection"):
                activity.facilitator = coordinator
            elif activity.kind in ("hands_on", "seminar", "writing"):
                activity.facilitator = staff
            activity.save(update_fields=["facilitator"])

    def shift(self, program, delta) -> None:
        program.start_date += delta
        program.end_date += delta
        program.save(update_fields=["start_date", "end_date", "updated_at"])
        for activity in Activity.objects.filter(program=program):
            activity.date += delta
            activity.sequence += 1
            activity.save(update_fields=["date", "sequence", "updated_at"])

    def grant(self, user, grant, hosts, municipalities) -> int:
        role = grant[0]
        if role == Role.TRAINEE:
            _, code, department, position = grant
            _, new = TraineeProfile.objects.get_or_create(
                user=user,
                defaults={
                    "municipality": municipalities[code],
                    "department": department,
                    "position": position,
                },
            )
            return int(new)
        if role == Role.SUPERVISOR:
            _, new = Membership.objects.get_or_create(
                user=user, role=role, municipality=municipalities[grant[1]]
            )
            return int(new)
        if role == Role.OFFICE:
            _, new = Membership.objects.get_or_create(user=user, role=role)
            return int(new)
        phone = DEMO_PHONES.get(user.email, "")
        membership, new = Membership.objects.get_or_create(
            user=user, role=role, host_company=hosts[grant[1]], defaults={"phone": phone}
        )
        if phone and not membership.phone:  # a demo made before numbers existed
            membership.phone = phone
            membership.save(update_fields=["phone"])
            return 1
        return int(new)
