import pytest
from django.apps import apps
from django.core.management import call_command

from programs.models import HostCompany, Membership, Municipality, Role, TraineeProfile, User

from ..factories import seed_demo_twice

pytestmark = pytest.mark.django_db


def snapshot():
    rows = {}
    for model in apps.get_app_config("programs").get_models():
        rows[model.__name__] = sorted(map(str, model.objects.values_list()))
    return rows


def test_seed_builds_the_scenario_and_a_second_run_changes_nothing(client):
    seed_demo_twice(snapshot)

    assert set(Municipality.objects.values_list("code", "name")) >= {
        ("402061", "田川市"),
        ("203831", "箕輪町"),
        ("202029", "松本市"),
    }
    assert HostCompany.objects.count() == 3  # the third only offers places in the call
    for email in [
        "office@example.com",
        "coordinator@example.com",
        "staff@example.com",
        "supervisor@example.com",
        "trainee1@example.com",
        "trainee2@example.com",
        "other-coordinator@example.com",
        "other-trainee@example.com",
    ]:
        assert client.login(email=email, password="kenshu-demo"), email
    tagawa_trainees = TraineeProfile.objects.filter(municipality__code="402061")
    assert set(tagawa_trainees.values_list("user__email", flat=True)) == {
        "trainee1@example.com",
        "trainee2@example.com",
    }
    assert (
        Membership.objects.get(user__email="supervisor@example.com").municipality.code == "402061"
    )
    other = Membership.objects.get(user__email="other-coordinator@example.com")
    coordinator = Membership.objects.get(user__email="coordinator@example.com")
    assert other.role == coordinator.role == Role.COORDINATOR
    assert other.host_company != coordinator.host_company
    assert (
        User.objects.get(email="other-trainee@example.com").trainee_profile.municipality.code
        != "402061"
    )


def test_the_demo_week_is_running_today_and_a_past_program_is_finished():
    from django.utils import timezone

    from programs.models import Program, Status

    call_command("seed_demo")
    today = timezone.localdate()
    programs = {p.title: p for p in Program.objects.with_effective_status(today)}
    running = programs["ITベンチャー研修（田川市・デモ）"]
    assert running.effective_status == Status.RUNNING
    assert running.start_date <= today <= running.end_date
    assert running.activities.filter(date=today).exists()
    assert set(running.enrollments.values_list("trainee__email", flat=True)) == {
        "trainee1@example.com",
        "trainee2@example.com",
        "trainee3@example.com",  # of 北見市: the trip's travel costs under other rules
    }
    titles = set(running.activities.values_list("title", flat=True))
    assert any("箕輪町" in t for t in titles) and any("セミナー" in t for t in titles)
    past = programs["ITベンチャー研修（前回・田川市）"]
    assert past.effective_status == Status.COMPLETED and past.end_date.month != today.month
    other = programs["地域DX研修（北見市）"]
    assert set(other.enrollments.values_list("trainee__email", flat=True)) == {
        "other-trainee@example.com"
    }


def test_the_demo_makes_again_the_built_in_templates_an_emptied_database_lost():
    """A flush (a browser test's, or a hand in the database) removes what the data migrations
    made; `seed_demo` makes the built-in week, survey and interview templates again."""
    from programs.models import WeekTemplate
    from trainees.models import InterviewTemplate, QuestionSet

    built_in = [
        WeekTemplate.objects.filter(host__isnull=True),
        QuestionSet.objects.filter(host__isnull=True),
        InterviewTemplate.objects.filter(host__isnull=True),
    ]
    for rows in built_in:
        rows.delete()
    call_command("seed_demo")
    assert [rows.count() for rows in built_in] == [1, 1, 1]
    call_command("seed_demo")
    assert [rows.count() for rows in built_in] == [1, 1, 1]
