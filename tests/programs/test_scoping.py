import pytest
from django.urls import reverse

from programs import access
from programs.models import HostCompany, Invitation, Membership, Municipality, TraineeProfile
from programs.services.invitations import create_invitation

pytestmark = pytest.mark.django_db


def test_host_companies_visible_only_to_their_people(
    host, other_host, coordinator, staff, outsider, trainee, supervisor
):
    assert list(HostCompany.objects.visible_to(coordinator)) == [host]
    assert list(HostCompany.objects.visible_to(staff)) == [host]
    assert list(HostCompany.objects.visible_to(outsider)) == [other_host]
    assert list(HostCompany.objects.visible_to(trainee)) == []
    assert list(HostCompany.objects.visible_to(supervisor)) == []


def test_memberships_of_other_organisations_are_hidden(
    coordinator, staff, outsider, supervisor, other_supervisor
):
    assert set(
        Membership.objects.visible_to(coordinator).values_list("user__email", flat=True)
    ) == {coordinator.email, staff.email}
    assert set(Membership.objects.visible_to(supervisor).values_list("user__email", flat=True)) == {
        supervisor.email
    }


def test_trainee_profiles(
    trainee, other_trainee, supervisor, other_supervisor, coordinator, host, tagawa
):
    assert list(TraineeProfile.objects.visible_to(supervisor)) == [trainee.trainee_profile]
    assert list(TraineeProfile.objects.visible_to(other_supervisor)) == [
        other_trainee.trainee_profile
    ]
    assert list(TraineeProfile.objects.visible_to(trainee)) == [trainee.trainee_profile]
    assert list(TraineeProfile.objects.visible_to(coordinator)) == []
    invitation = create_invitation(
        invited_by=coordinator,
        email="late@example.org",
        role="trainee",
        host_company=host,
        municipality=tagawa,
    )
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=trainee)
    assert list(TraineeProfile.objects.visible_to(coordinator)) == [trainee.trainee_profile]


def test_municipalities(tagawa, kitami, supervisor, trainee, coordinator):
    assert list(Municipality.objects.visible_to(supervisor)) == [tagawa]
    assert list(Municipality.objects.visible_to(trainee)) == [tagawa]
    assert list(Municipality.objects.visible_to(coordinator)) == []
    # The registry is public data: every local government, whoever asks.
    assert {tagawa, kitami} <= set(Municipality.objects.registry())
    assert Municipality.objects.registry().count() == Municipality.objects.count() > 1900


def test_anonymous_sees_nothing(host, tagawa, trainee):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for manager in (
        HostCompany.objects,
        Municipality.objects,
        Membership.objects,
        TraineeProfile.objects,
        Invitation.objects,
    ):
        assert not manager.visible_to(anonymous).exists()


def test_access_helper_404_for_outsider_403_for_reader(host, outsider, staff, coordinator):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(Http404):
        access.get_host_company_for_user(outsider, host.pk)
    assert access.get_host_company_for_user(staff, host.pk) == host
    with pytest.raises(PermissionDenied):
        access.get_host_company_for_user(staff, host.pk, write=True)
    assert access.get_host_company_for_user(coordinator, host.pk, write=True) == host


class TestHomePages:
    def test_each_role_lands_on_its_home(self, client, coordinator, trainee, supervisor):
        for user, target in [
            (coordinator, "programs:host_home"),
            (trainee, "programs:trainee_today"),
            (supervisor, "reports:municipality_home"),
        ]:
            client.force_login(user)
            response = client.get(reverse("programs:home"))
            assert response.url == reverse(target)
            assert client.get(response.url).status_code == 200

    def test_host_home_lists_only_own_host(self, client, coordinator, staff, host, other_host):
        client.force_login(coordinator)
        response = client.get(reverse("programs:host_home"))
        page = response.content.decode()
        assert host.name in page and other_host.name not in page
        assert f"{host.name}・" in page and "メンバー管理 (2)" in page  # coordinator and staff
        assert "今週・来週の研修プログラムはありません" in page

    def test_pages_of_other_roles_are_404(self, client, coordinator, trainee, supervisor):
        client.force_login(trainee)
        assert client.get(reverse("programs:host_home")).status_code == 404
        assert client.get(reverse("reports:municipality_home")).status_code == 404
        client.force_login(coordinator)
        assert client.get(reverse("programs:trainee_today")).status_code == 404
        assert client.get(reverse("reports:municipality_home")).status_code == 404
        client.force_login(supervisor)
        assert client.get(reverse("programs:trainee_today")).status_code == 404

    def test_supervisor_sees_only_own_trainees(
        self, client, supervisor, trainee, other_trainee, program
    ):
        from ..factories import enrol

        enrol(program, trainee), enrol(program, other_trainee)
        client.force_login(supervisor)
        page = client.get(reverse("reports:municipality_home")).content.decode()
        assert trainee.family_name in page
        assert other_trainee.family_name not in page

    def test_trainee_today_shows_own_municipality(self, client, trainee):
        client.force_login(trainee)
        page = client.get(reverse("programs:trainee_today")).content.decode()
        assert "田川市" in page and "今日の予定はありません" in page

    def test_two_factor_pages_are_for_host_users_only(self, client, coordinator, trainee):
        client.force_login(trainee)
        assert client.get(reverse("mfa_index")).status_code == 404
        assert client.get(reverse("mfa_activate_totp")).status_code == 404
        client.force_login(coordinator)
        assert client.get(reverse("mfa_index")).status_code == 200


def test_a_host_knows_the_trainees_enrolled_in_its_programs(coordinator, outsider, trainee, host):
    from ..factories import ProgramFactory, enrol

    enrol(ProgramFactory(host=host), trainee)
    assert list(TraineeProfile.objects.visible_to(coordinator)) == [trainee.trainee_profile]
    assert list(TraineeProfile.objects.visible_to(outsider)) == []
