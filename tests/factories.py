from datetime import date, datetime, time, timedelta

import factory
from allauth.account.models import EmailAddress

from programs.models import HostCompany, Membership, Municipality, Role, TraineeProfile, User
from programs.validators import local_government_check_digit

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    family_name = factory.Sequence(lambda n: f"山田{n}")
    given_name = "花子"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def email_address(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class HostCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostCompany

    name = factory.Sequence(lambda n: f"テスト株式会社{n}")


def municipality_code(n: int, prefecture: int = 13) -> str:
    # 9xx: a range no real municipality uses, so a test's own rows never meet the registry's.
    first_five = f"{prefecture:02d}9{n % 100:02d}"
    return first_five + str(local_government_check_digit(first_five))


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    prefecture = 13
    code = factory.Sequence(lambda n: municipality_code(n))
    name = factory.Sequence(lambda n: f"テスト市{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.COORDINATOR
    host_company = factory.SubFactory(HostCompanyFactory)


class TraineeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeProfile

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    department = "総務課"
    position = "主事"


def host_member(host, role, email):
    """A user with `role` (coordinator or staff) at the host company."""
    return MembershipFactory(user=UserFactory(email=email), role=role, host_company=host).user


def supervisor_of(municipality, email):
    """A user who supervises the trainees of `municipality`."""
    user = UserFactory(email=email)
    Membership.objects.create(user=user, role=Role.SUPERVISOR, municipality=municipality)
    return user


def trainee_of(municipality, email):
    """A trainee of `municipality`."""
    return TraineeProfileFactory(user=UserFactory(email=email), municipality=municipality).user


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.Program"

    host = factory.SubFactory(HostCompanyFactory)
    title = factory.Sequence(lambda n: f"ITベンチャー研修 {n}")
    start_date = date(2026, 11, 30)  # a Monday
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=4))
    status = "published"


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment of `day` in Japan time: what a test passes as `now` instead of the clock."""
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def enrol(program, user):
    """Enrol through the service, as the product does (snapshot, checks, log)."""
    from programs.services.programs import enroll

    return enroll(program, user, by=None).enrollment


def add_activity(
    program,
    day,
    start,
    end,
    title="活動",
    *,
    by=None,
    facilitator=None,
    participants=None,
    kind="work",
):
    from datetime import time

    from programs.services.week import Slot, save_activity

    slot = Slot(
        date=day,
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        title=title,
        kind=kind,
        facilitator=facilitator,
        for_all=participants is None,
        participants=participants,
    )
    return save_activity(program, slot, by=by)


def schedule_interview(enrollment, interviewer, day, start=time(16), end=time(17), place=""):
    """Schedule an interview of `enrollment` on `day` (16:00–17:00 unless told), held and
    booked by `interviewer`."""
    from trainees.services import interviews

    plan = interviews.Plan(
        interviewers=[interviewer], date=day, start_time=start, end_time=end, place=place
    )
    return interviews.schedule(enrollment, plan, by=interviewer)


def seed_demo_twice(rows):
    """Run `seed_demo` twice: the second run changes none of what `rows()` reads."""
    from django.core.management import call_command

    call_command("seed_demo")
    first = rows()
    call_command("seed_demo")
    assert rows() == first


def seed_demo_then_later(monkeypatch, days=30):
    """Run `seed_demo` today, then again `days` later by the clock: the later day."""
    from django.core.management import call_command
    from django.utils import timezone

    call_command("seed_demo")
    later = timezone.localdate() + timedelta(days=days)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    call_command("seed_demo")
    return later


def count_queries(client, url):
    """Queries of a cold request: nothing from the fragment, program or roles cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), ctx


def field_block(html: str, name: str) -> str:
    """The form's block of one field: from its input to the next field."""
    import re

    start = html.index(f'name="{name}"')
    following = re.compile(r'<div class="field[ "]').search(html, start)
    return html[start : following.start() if following else len(html)]


def table_rows(html: bytes | str) -> list[list[str]]:
    """The text of each cell of each body row of the page's tables, as a person reads them
    (pages drawn with Jinja2 have no `response.context` to look into)."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.in_body, self.cell = [], False, None

        def handle_starttag(self, tag, attrs):
            if tag == "tbody":
                self.in_body = True
            elif tag == "tr" and self.in_body:
                self.rows.append([])
            elif tag in ("td", "th") and self.in_body and self.rows:
                self.cell = []

        def handle_endtag(self, tag):
            if tag == "tbody":
                self.in_body = False
            elif tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Rows()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.rows
