"""The municipality's contact names a match's staff: each is invited into the match's draft
program (emailed after commit) and enrolled when they accept; an existing trainee of the
municipality is enrolled at once. Bad rows keep their text and save nothing."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from programs.models import Enrollment, Invitation
from programs.services.acceptance import accept_invitation
from scheme.services.staff import StaffRefused, name_staff
from tests.factories import trainee_of
from tests.scheme.match_fixtures import *  # noqa: F403 (the fixtures)
from tests.scheme.match_fixtures import named

pytestmark = pytest.mark.django_db

TWO = {
    "family_name_1": "田中",
    "given_name_1": "翔",
    "email_1": "tanaka@city.tagawa.example.jp",
    "department_1": "総務課",
    "position_1": "主事",
    "family_name_2": "佐藤",
    "given_name_2": "美咲",
    "email_2": "sato@city.tagawa.example.jp",
    "department_2": "企画課",
    "position_2": "主任",
}


def staff_url(match):
    return reverse("scheme:match_staff", args=[match.pk])


def token_of(message) -> str:
    return re.search(r"/invitations/([\w-]+)/", message.body).group(1)


def test_naming_two_staff_invites_both_after_commit_and_enrols_them_as_they_accept(
    client, match, supervisor, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(staff_url(match), TWO)
        assert mail.outbox == []  # nothing leaves before the commit
    assert response.status_code == 302
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [TWO["email_2"], TWO["email_1"]]
    invitations = Invitation.objects.filter(program=match.program)
    assert {(i.email, i.department, i.position, i.municipality_id) for i in invitations} == {
        (TWO["email_1"], "総務課", "主事", match.application.municipality_id),
        (TWO["email_2"], "企画課", "主任", match.application.municipality_id),
    }
    for message in mail.outbox:
        accept_invitation(token_of(message), password="kenshu-long-pass-42")
    enrolled = Enrollment.objects.active().filter(program=match.program)
    assert sorted(e.trainee.email for e in enrolled) == [TWO["email_2"], TWO["email_1"]]
    assert {e.department for e in enrolled} == {"総務課", "企画課"}
    page = client.get(reverse("scheme:match_detail", args=[match.pk])).content.decode()
    assert page.count("参加登録済み") == 2


def test_an_existing_trainee_of_the_municipality_is_enrolled_at_once(
    client, match, supervisor, tagawa, django_capture_on_commit_callbacks
):
    known = trainee_of(tagawa, "known@city.tagawa.example.jp")
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            staff_url(match),
            {"family_name_1": "既存", "given_name_1": "太郎", "email_1": known.email},
        )
    assert Enrollment.objects.active().filter(program=match.program, trainee=known).exists()
    assert mail.outbox == []


def test_naming_again_adds_the_missing_and_the_same_address_twice_is_a_no_op(
    match, supervisor, django_capture_on_commit_callbacks
):
    first = [named(1, "tanaka@city.tagawa.example.jp")]
    with django_capture_on_commit_callbacks(execute=True):
        name_staff(match, first, by=supervisor, today=timezone.localdate())
        counts = name_staff(
            match,
            first + [named(2, "sato@city.tagawa.example.jp")],
            by=supervisor,
            today=timezone.localdate(),
        )
    assert counts == {"enrolled": 0, "invited": 1, "already": 1}
    assert Invitation.objects.filter(program=match.program).count() == 2
    assert len(mail.outbox) == 2


def test_more_people_than_places_is_refused_and_nothing_is_saved(client, match, supervisor):
    name_staff(
        match, [named(1, "first@city.tagawa.example.jp")], by=supervisor, today=timezone.localdate()
    )
    client.force_login(supervisor)
    response = client.post(staff_url(match), TWO)
    assert response.status_code == 200
    assert "残りの枠は1名分です" in response.content.decode()
    assert Invitation.objects.filter(program=match.program).count() == 1
    with pytest.raises(StaffRefused):
        name_staff(
            match,
            [named(1, "a@city.tagawa.example.jp"), named(2, "b@city.tagawa.example.jp")],
            by=supervisor,
            today=timezone.localdate(),
        )


def test_a_program_over_or_reported_takes_no_more_staff(client, match, supervisor):
    """Naming after the program ended, or once it is reported, would change figures already
    built: refused, by the service and by the core's question of who may invite."""
    from datetime import timedelta

    from programs import registry

    after = match.program.end_date + timedelta(days=1)
    with pytest.raises(StaffRefused):
        name_staff(match, [named(1, "late@city.tagawa.example.jp")], by=supervisor, today=after)
    municipality = match.application.municipality
    assert registry.names_trainees(supervisor, match.program, municipality)
    match.program.status = "reported"
    match.program.save(update_fields=["status"])
    assert not registry.names_trainees(supervisor, match.program, municipality)
    with pytest.raises(StaffRefused):
        name_staff(
            match,
            [named(1, "late@city.tagawa.example.jp")],
            by=supervisor,
            today=timezone.localdate(),
        )
    assert not Invitation.objects.filter(program=match.program).exists()


def test_the_contact_names_only_its_own_municipalitys_staff(match, supervisor, kitami):
    from programs import registry

    assert not registry.names_trainees(supervisor, match.program, kitami)


def test_invalid_rows_keep_their_text_and_save_nothing(client, match, supervisor):
    client.force_login(supervisor)
    data = {**TWO, "email_1": "tanaka@@example", "email_2": TWO["email_2"]}
    response = client.post(staff_url(match), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="tanaka@@example"' in html and 'value="佐藤"' in html and 'value="企画課"' in html
    assert "field--error" in html
    assert not Invitation.objects.exists() and mail.outbox == []


def test_the_same_address_in_two_rows_is_said_next_to_the_second(client, match, supervisor):
    client.force_login(supervisor)
    response = client.post(staff_url(match), {**TWO, "email_2": TWO["email_1"].upper()})
    assert response.status_code == 200
    assert response.context["form"].errors["email_2"]
    assert not Invitation.objects.exists()


def test_a_row_without_a_family_name_is_refused(client, match, supervisor):
    client.force_login(supervisor)
    response = client.post(staff_url(match), {"email_1": "x@city.tagawa.example.jp"})
    assert response.context["form"].errors["family_name_1"]
    assert not Invitation.objects.exists()


def test_host_people_and_the_office_read_but_may_not_name(client, match, coordinator, office):
    for person in (coordinator, office):
        client.force_login(person)
        assert client.get(staff_url(match)).status_code == 403
        assert client.post(staff_url(match), TWO).status_code == 403
    assert not Invitation.objects.exists()


def test_outsiders_get_404_and_anonymous_is_sent_to_log_in(
    client, match, outsider, kitami_contact, trainee
):
    for person in (outsider, kitami_contact, trainee):
        client.force_login(person)
        assert client.get(staff_url(match)).status_code == 404
        assert client.post(staff_url(match), TWO).status_code == 404
    client.logout()
    response = client.get(staff_url(match))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_contact_of_another_municipality_cannot_invite_into_the_program(match, kitami_contact):
    from programs.services.invitations import InvitationRefused, create_invitation

    with pytest.raises(InvitationRefused):
        create_invitation(
            invited_by=kitami_contact,
            email="x@example.org",
            role="trainee",
            host_company=match.host,
            municipality=match.application.municipality,
            program=match.program,
        )


def test_once_the_match_is_cancelled_its_contact_names_nobody(match, supervisor, office):
    from django.utils import timezone

    from scheme.services.matches import cancel_match

    cancel_match(match, reason="取り下げ", by=office, now=timezone.now())
    match.refresh_from_db()
    with pytest.raises(StaffRefused):
        name_staff(
            match,
            [named(1, "late@city.tagawa.example.jp")],
            by=supervisor,
            today=timezone.localdate(),
        )
