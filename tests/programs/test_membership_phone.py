"""A host role's telephone number (電話番号): digits, hyphens, +, spaces and parentheses,
stored as typed, dialled with its digits only; a coordinator sets it on the host's people
page, and a wrong one is said next to the field with what was typed kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs.models import ActivityLog, Membership
from programs.phones import tel_href, validate_phone
from programs.services.memberships import MembershipRefused, set_phone

from ..factories import field_block

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "090-1234-5678",
        "09012345678",
        "+81 90 1234 5678",
        "+81 (90) 1234-5678",
        "０９０－１２３４－５６７８",
    ],
)
def test_numbers_as_people_type_them_are_taken(typed):
    validate_phone(typed)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("090-1234-567a", "phone_characters"),
        ("090/1234/5678", "phone_characters"),
        ("81+90-1234-5678", "phone_characters"),
        ("090-12", "phone_digits"),
        ("0901234567890123456", "phone_digits"),
    ],
)
def test_anything_else_is_refused(typed, code):
    with pytest.raises(ValidationError) as refused:
        validate_phone(typed)
    assert refused.value.code == code


def test_the_tel_address_keeps_the_digits_and_a_leading_plus():
    assert tel_href("090-1234-5678") == "tel:09012345678"
    assert tel_href("+81 (90) 1234-5678") == "tel:+819012345678"
    assert tel_href("０９０－１２３４－５６７８") == "tel:09012345678"
    assert tel_href("") == ""


def phone_url(host, membership):
    return reverse("programs:membership_phone", args=[host.pk, membership.pk])


def test_a_coordinator_sets_a_number_on_the_people_page(client, host, coordinator, staff):
    membership = Membership.objects.get(user=staff)
    client.force_login(coordinator)
    people = client.get(reverse("programs:host_people", args=[host.pk])).content.decode()
    assert phone_url(host, membership) in people
    response = client.post(phone_url(host, membership), {"phone": " 090-1234-5678 "})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.phone == "090-1234-5678"  # as typed (its outer spaces trimmed)
    assert ActivityLog.objects.filter(action="membership.phone").exists()
    people = client.get(reverse("programs:host_people", args=[host.pk])).content.decode()
    assert "090-1234-5678" in people


def test_a_wrong_number_is_said_next_to_the_field_and_kept(client, host, coordinator, staff):
    membership = Membership.objects.get(user=staff)
    client.force_login(coordinator)
    response = client.post(phone_url(host, membership), {"phone": "090-1234-567a"})
    assert response.status_code == 200
    block = field_block(response.content.decode(), "phone")
    assert 'value="090-1234-567a"' in block
    assert "数字・ハイフン（-）・スペース・かっこ、先頭の＋だけを使ってください。" in block
    response = client.post(phone_url(host, membership), {"phone": "090-12"})
    block = field_block(response.content.decode(), "phone")
    assert 'value="090-12"' in block and "電話番号の数字は6〜15桁です（入力は5桁）。" in block
    membership.refresh_from_db()
    assert membership.phone == ""


def test_only_a_coordinator_of_the_host_sets_numbers(client, host, staff, outsider):
    membership = Membership.objects.get(user=staff)
    client.force_login(staff)
    assert client.post(phone_url(host, membership), {"phone": "090-1234-5678"}).status_code == 403
    client.force_login(outsider)
    assert client.post(phone_url(host, membership), {"phone": "090-1234-5678"}).status_code == 404
    membership.refresh_from_db()
    assert membership.phone == ""


def test_the_service_refuses_a_wrong_number_for_the_field(staff, coordinator):
    membership = Membership.objects.get(user=staff)
    with pytest.raises(MembershipRefused) as refused:
        set_phone(membership, "090-1234-567a", by=coordinator)
    assert refused.value.field == "phone"


def test_the_demo_coordinator_and_staff_have_numbers():
    from django.core.management import call_command

    call_command("seed_demo")
    phones = dict(
        Membership.objects.filter(
            user__email__in=["coordinator@example.com", "staff@example.com"]
        ).values_list("user__email", "phone")
    )
    assert phones == {
        "coordinator@example.com": "090-0000-1234",
        "staff@example.com": "080-0000-5678",
    }
