import pytest
from django.apps import apps
from django.core.management import call_command

from programs.models import HostCompany, Membership, Municipality, Role, TraineeProfile, User

pytestmark = pytest.mark.django_db


def snapshot():
    rows = {}
    for model in apps.get_app_config("programs").get_models():
        rows[model.__name__] = sorted(map(str, model.objects.values_list()))
    return rows


def test_seed_builds_the_scenario_and_a_second_run_changes_nothing(client):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first

    assert set(Municipality.objects.values_list("code", "name")) >= {
        ("402061", "田川市"),
        ("203831", "箕輪町"),
        ("202029", "松本市"),
    }
    assert HostCompany.objects.count() == 2
    for email in [
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
