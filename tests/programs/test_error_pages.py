"""The 404 and 403 pages are the site's own, in the user's language, with its navigation: a
person outside a scope meets the 404 often, by design."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_not_found_is_the_sites_own_page_in_japanese(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/programs/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ページが見つかりません" in html
    assert reverse("programs:home") in html and 'class="site-nav"' in html
    # An address no URL matches reads the same, its title separated like every page's.
    for url in ("/programs/999999/", "/does-not-exist/"):
        html = client.get(url).content.decode()
        assert "<title>ページが見つかりません | Kenshu</title>" in html, url


def test_forbidden_is_the_sites_own_page(client, staff, program):
    client.force_login(staff)  # reads the host's programs, changes none
    response = client.get(reverse("programs:program_edit", args=[program.pk]))
    assert response.status_code == 403
    assert "コーディネーター" in response.content.decode()
