import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from programs.models import ActivityLog, Invitation, Membership, Role, TraineeProfile, User
from programs.services import acceptance
from programs.services import invitations as service

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = service.create_invitation(**kwargs)
    return invitation


def token_from_mail(message) -> str:
    return re.search(r"/invitations/([\w-]+)/", message.body).group(1)


def invite_staff(django_capture_on_commit_callbacks, coordinator, host, email):
    """The coordinator invites `email` as staff of `host`: the invitation, and the token of
    the email it sent."""
    invitation = invite(
        django_capture_on_commit_callbacks,
        invited_by=coordinator,
        email=email,
        role=Role.STAFF,
        host_company=host,
    )
    return invitation, token_from_mail(mail.outbox[-1])


def test_invitation_is_emailed_after_commit_in_japanese_then_english(
    coordinator, host, tagawa, django_capture_on_commit_callbacks
):
    invitation = invite(
        django_capture_on_commit_callbacks,
        invited_by=coordinator,
        email="New@Example.org ",
        role=Role.TRAINEE,
        host_company=host,
        municipality=tagawa,
        family_name="田中",
    )
    assert invitation.email == "new@example.org"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert message.reply_to == [coordinator.email]
    assert "招待" in message.subject and "Invitation" in message.subject
    assert message.body.index("田中 様") < message.body.index("Dear 田中")
    assert Invitation.hash_token(token_from_mail(message)) == invitation.token_hash
    html = message.alternatives[0][0]
    assert 'href="http://127.0.0.1:8000/invitations/' in html
    assert ActivityLog.objects.get(action="invitation.created").actor == coordinator


def test_token_is_stored_only_as_a_hash(coordinator, host, django_capture_on_commit_callbacks):
    _, token = invite_staff(django_capture_on_commit_callbacks, coordinator, host, "a@example.org")
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_second_pending_invitation_for_the_same_role_is_refused(coordinator, host):
    service.create_invitation(
        invited_by=coordinator, email="a@example.org", role=Role.STAFF, host_company=host
    )
    with pytest.raises(service.InvitationRefused) as excinfo:
        service.create_invitation(
            invited_by=coordinator, email="A@example.org", role=Role.STAFF, host_company=host
        )
    assert excinfo.value.code == "pending"
    assert Invitation.objects.count() == 1


def test_a_role_already_held_is_refused(coordinator, staff, host):
    with pytest.raises(service.InvitationRefused) as excinfo:
        service.create_invitation(
            invited_by=coordinator, email=staff.email, role=Role.STAFF, host_company=host
        )
    assert excinfo.value.code == "role_held"
    assert Invitation.objects.count() == 0


def test_accepting_creates_the_account_and_grants_the_role_once(
    coordinator, host, tagawa, django_capture_on_commit_callbacks
):
    invite(
        django_capture_on_commit_callbacks,
        invited_by=coordinator,
        email="t@example.org",
        role=Role.TRAINEE,
        host_company=host,
        municipality=tagawa,
        department="企画課",
    )
    token = token_from_mail(mail.outbox[0])
    user = acceptance.accept_invitation(
        token, password="a-long-passphrase", family_name="田中", given_name="翔"
    )
    assert user.check_password("a-long-passphrase")
    assert TraineeProfile.objects.get(user=user).department == "企画課"
    assert user.emailaddress_set.get().verified
    with pytest.raises(service.InvitationRefused) as excinfo:
        acceptance.accept_invitation(token, password="another-passphrase")
    assert excinfo.value.code == "used"
    assert User.objects.filter(email="t@example.org").count() == 1
    assert list(
        ActivityLog.objects.filter(action="invitation.accepted").values_list(
            "actor__email", flat=True
        )
    ) == ["t@example.org"]


def test_expired_and_revoked_links_are_refused(
    coordinator, host, django_capture_on_commit_callbacks
):
    invitation, token = invite_staff(
        django_capture_on_commit_callbacks, coordinator, host, "x@example.org"
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(service.InvitationRefused) as excinfo:
        acceptance.accept_invitation(token, password="a-long-passphrase")
    assert excinfo.value.code == "expired"
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )
    service.revoke_invitation(invitation, by=coordinator)
    with pytest.raises(service.InvitationRefused) as excinfo:
        acceptance.accept_invitation(token, password="a-long-passphrase")
    assert excinfo.value.code == "revoked"
    assert not User.objects.filter(email="x@example.org").exists()


def test_resend_replaces_the_link(coordinator, host, django_capture_on_commit_callbacks):
    invitation, old_token = invite_staff(
        django_capture_on_commit_callbacks, coordinator, host, "x@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        service.resend_invitation(invitation, by=coordinator)
    new_token = token_from_mail(mail.outbox[1])
    assert new_token != old_token
    with pytest.raises(service.InvitationRefused):
        acceptance.accept_invitation(old_token, password="a-long-passphrase")
    acceptance.accept_invitation(new_token, password="a-long-passphrase")


def test_existing_account_must_log_in_to_accept(
    coordinator, host, tagawa, trainee, django_capture_on_commit_callbacks
):
    _, token = invite_staff(django_capture_on_commit_callbacks, coordinator, host, trainee.email)
    with pytest.raises(service.InvitationRefused) as excinfo:
        acceptance.accept_invitation(token, password="a-long-passphrase")
    assert excinfo.value.code == "login_required"
    someone_else = UserFactory()
    with pytest.raises(service.InvitationRefused):
        acceptance.accept_invitation(token, current_user=someone_else)
    assert not Membership.objects.filter(user=trainee).exists()
    acceptance.accept_invitation(token, current_user=trainee)
    assert Membership.objects.filter(user=trainee, role=Role.STAFF, host_company=host).exists()
    trainee.refresh_from_db()
    assert trainee.check_password("correct-horse-battery")


class TestInvitationPages:
    def test_coordinator_invites_through_the_form(
        self, client, coordinator, host, tagawa, django_capture_on_commit_callbacks
    ):
        client.force_login(coordinator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("programs:invitation_create", args=[host.pk]),
                {"email": "new@example.org", "role": "trainee", "municipality": tagawa.code},
            )
        assert response.status_code == 302
        assert [m.to for m in mail.outbox] == [["new@example.org"]]
        page = client.get(reverse("programs:host_people", args=[host.pk])).content.decode()
        assert "new@example.org" in page

    def test_bad_input_is_shown_next_to_the_field_and_kept(self, client, coordinator, host):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:invitation_create", args=[host.pk]),
            {"email": "not-an-address", "role": "trainee", "family_name": "田中"},
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert set(form.errors) == {"email", "municipality"}
        page = response.content.decode()
        assert 'value="田中"' in page and 'value="not-an-address"' in page
        assert Invitation.objects.count() == 0

    def test_refusal_by_the_service_is_shown_on_the_email_field(
        self, client, coordinator, staff, host
    ):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:invitation_create", args=[host.pk]),
            {"email": staff.email, "role": "staff"},
        )
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["email"]

    def test_staff_may_read_people_but_not_invite(self, client, staff, host):
        client.force_login(staff)
        assert client.get(reverse("programs:host_people", args=[host.pk])).status_code == 200
        assert client.get(reverse("programs:invitation_create", args=[host.pk])).status_code == 403

    def test_outsider_gets_404_everywhere(self, client, outsider, coordinator, host):
        invitation = service.create_invitation(
            invited_by=coordinator, email="a@example.org", role=Role.STAFF, host_company=host
        )
        membership = Membership.objects.get(user=coordinator)
        client.force_login(outsider)
        for url in [
            reverse("programs:host_people", args=[host.pk]),
            reverse("programs:invitation_create", args=[host.pk]),
        ]:
            assert client.get(url).status_code == 404, url
        for url in [
            reverse("programs:invitation_resend", args=[host.pk, invitation.pk]),
            reverse("programs:invitation_revoke", args=[host.pk, invitation.pk]),
            reverse("programs:membership_remove", args=[host.pk, membership.pk]),
        ]:
            assert client.post(url).status_code == 404, url
        invitation.refresh_from_db()
        assert invitation.revoked_at is None

    def test_acceptance_page_creates_account_and_logs_in(
        self, client, coordinator, host, django_capture_on_commit_callbacks
    ):
        _, token = invite_staff(
            django_capture_on_commit_callbacks, coordinator, host, "s@example.org"
        )
        url = reverse("programs:invitation_accept", args=[token])
        assert "s@example.org" in client.get(url).content.decode()
        bad = client.post(
            url,
            {
                "family_name": "鈴木",
                "given_name": "一郎",
                "password1": "short",
                "password2": "short",
            },
        )
        assert bad.status_code == 200 and "password1" in bad.context["form"].errors
        assert 'value="鈴木"' in bad.content.decode()
        assert not User.objects.filter(email="s@example.org").exists()
        ok = client.post(
            url,
            {
                "family_name": "鈴木",
                "given_name": "一郎",
                "password1": "a-long-passphrase",
                "password2": "a-long-passphrase",
            },
        )
        assert ok.status_code == 302
        assert client.get(reverse("programs:host_home")).status_code == 200
        client.logout()
        reused = client.get(url)
        assert reused.status_code == 410
        assert "すでに使用されています" in reused.content.decode()

    def test_unknown_token_is_404(self, client, db):
        response = client.get(reverse("programs:invitation_accept", args=["nope"]))
        assert response.status_code == 404

    def test_last_coordinator_cannot_be_removed(self, client, coordinator, staff, host):
        client.force_login(coordinator)
        own = Membership.objects.get(user=coordinator)
        client.post(reverse("programs:membership_remove", args=[host.pk, own.pk]))
        assert Membership.objects.filter(pk=own.pk).exists()
        staff_membership = Membership.objects.get(user=staff)
        client.post(reverse("programs:membership_remove", args=[host.pk, staff_membership.pk]))
        assert not Membership.objects.filter(pk=staff_membership.pk).exists()
        assert ActivityLog.objects.filter(action="membership.removed").count() == 1


class TestWhoMayGrantWhat:
    def test_a_coordinator_cannot_make_anyone_a_supervisor(self, outsider, other_host, tagawa):
        with pytest.raises(service.InvitationRefused) as excinfo:
            service.create_invitation(
                invited_by=outsider,
                email=outsider.email,
                role=Role.SUPERVISOR,
                host_company=other_host,
                municipality=tagawa,
            )
        assert excinfo.value.code == "not_allowed"
        assert Invitation.objects.count() == 0

    def test_staff_cannot_invite(self, staff, host):
        with pytest.raises(service.InvitationRefused):
            service.create_invitation(
                invited_by=staff, email="x@example.org", role=Role.COORDINATOR, host_company=host
            )

    def test_the_form_offers_no_supervisor_role(self, client, coordinator, host, tagawa):
        client.force_login(coordinator)
        response = client.post(
            reverse("programs:invitation_create", args=[host.pk]),
            {"email": "s@example.org", "role": "supervisor", "municipality": tagawa.code},
        )
        assert "role" in response.context["form"].errors
        assert Invitation.objects.count() == 0

    def test_trainee_elsewhere_is_not_revealed_to_another_host(
        self, outsider, other_host, trainee, tagawa
    ):
        invitation = service.create_invitation(
            invited_by=outsider,
            email=trainee.email,
            role=Role.TRAINEE,
            host_company=other_host,
            municipality=tagawa,
        )
        assert invitation.pk

    def test_an_invitation_never_moves_a_trainee_to_another_municipality(
        self, outsider, other_host, trainee, kitami, django_capture_on_commit_callbacks
    ):
        invite(
            django_capture_on_commit_callbacks,
            invited_by=outsider,
            email=trainee.email,
            role=Role.TRAINEE,
            host_company=other_host,
            municipality=kitami,
        )
        with pytest.raises(service.InvitationRefused) as excinfo:
            acceptance.accept_invitation(token_from_mail(mail.outbox[0]), current_user=trainee)
        assert excinfo.value.code == "other_municipality"
        trainee.trainee_profile.refresh_from_db()
        assert trainee.trainee_profile.municipality.name == "田川市"
        assert trainee.trainee_profile.department == "総務課"

    def test_removing_a_coordinator_withdraws_their_invitations(
        self, coordinator, host, django_capture_on_commit_callbacks
    ):
        from programs.services.memberships import remove_membership

        leaving = UserFactory(email="leaving@example.org")
        membership = Membership.objects.create(
            user=leaving, role=Role.COORDINATOR, host_company=host
        )
        invite(
            django_capture_on_commit_callbacks,
            invited_by=leaving,
            email="private@example.org",
            role=Role.COORDINATOR,
            host_company=host,
        )
        token = token_from_mail(mail.outbox[0])
        remove_membership(membership, by=coordinator)
        with pytest.raises(service.InvitationRefused) as excinfo:
            acceptance.accept_invitation(token, password="a-long-passphrase")
        assert excinfo.value.code == "revoked"
        assert not User.objects.filter(email="private@example.org").exists()

    def test_acceptance_rechecks_the_inviter(
        self, coordinator, staff, host, django_capture_on_commit_callbacks
    ):
        _, token = invite_staff(
            django_capture_on_commit_callbacks, coordinator, host, "late@example.org"
        )
        Membership.objects.filter(user=coordinator).update(role=Role.STAFF)
        with pytest.raises(service.InvitationRefused) as excinfo:
            acceptance.accept_invitation(token, password="a-long-passphrase")
        assert excinfo.value.code == "inviter_gone"


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_opening_the_acceptance_page_writes_nothing(
    client, coordinator, trainee, host, django_capture_on_commit_callbacks
):
    """Only the POST accepts: the page a link opens (signed in or not) reads only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for email in ("s@example.org", trainee.email):
        invite_staff(django_capture_on_commit_callbacks, coordinator, host, email)
    for message, user in zip(mail.outbox, (None, trainee), strict=True):
        if user is not None:
            client.force_login(user)
        url = reverse("programs:invitation_accept", args=[token_from_mail(message)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == []
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()
