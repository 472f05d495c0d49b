"""Demo data: the scenario of the design notes, so a newcomer sees a living installation.

Idempotent: a second run finds every row and changes nothing. Refuses production settings."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from programs.models import HostCompany, Membership, Municipality, Role, TraineeProfile, User
from programs.prefectures import Prefecture

DEMO_PASSWORD = "kenshu-demo"

MUNICIPALITIES = [
    # (code, name, prefecture)
    ("402061", "田川市", Prefecture.FUKUOKA),
    ("203831", "箕輪町", Prefecture.NAGANO),
    ("202029", "松本市", Prefecture.NAGANO),
    ("012084", "北見市", Prefecture.HOKKAIDO),
]
HOST = "はたらくラボ株式会社（デモ）"
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
        "other-coordinator@example.com",
        "高橋",
        "誠",
        "たかはし",
        "まこと",
        ("coordinator", OTHER_HOST),
    ),
    (
        "other-trainee@example.com",
        "伊藤",
        "大輝",
        "いとう",
        "だいき",
        ("trainee", "012084", "市民協働課", "主任"),
    ),
]


class Command(BaseCommand):
    help = "Create the demo organisations and accounts (password: kenshu-demo). Idempotent."

    def handle(self, *args, **options):
        if getattr(settings, "KENSHU_ENVIRONMENT", "") == "production":
            raise CommandError("seed_demo refuses to run with production settings.")
        with transaction.atomic():
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
        return created

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
        _, new = Membership.objects.get_or_create(
            user=user, role=role, host_company=hosts[grant[1]]
        )
        return int(new)
