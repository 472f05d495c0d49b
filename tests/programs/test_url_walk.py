"""Every URL of the project, walked as an anonymous visitor: each must send them to the login
page, unless it is on the short list of pages meant for people who are not signed in."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# name -> why it is public
PUBLIC = {
    "account_login": "the login page",
    "account_reset_password": "password reset",
    "account_reset_password_done": "password reset",
    "account_reset_password_from_key": "password reset (link in the email)",
    "account_reset_password_from_key_done": "password reset",
    "account_signup": "says sign-up is closed",
    "account_logout": "logging out",
    "account_inactive": "tells a deactivated person why they cannot log in",
    "account_email_verification_sent": "allauth's own notice, shows no data",
    "account_confirm_email": "allauth's email confirmation link",
    "programs:invitation_accept": "invitation acceptance",
    "programs:set_language": "the language switcher on the login page",
    "programs:healthz": "health check for load balancers",
    "programs:calendar_feed": "calendar feeds, by their secret token",
    "programs:reminder_off": "one-click unsubscribe from a reminder email, by its signed token",
    "programs:manifest": "the web app manifest, fetched by the browser without cookies",
    "programs:service_worker": "the service worker's script: no data in it",
    "programs:offline_page": "the page shown offline for a page not kept: no data in it",
}
SAMPLE_ARGS = {
    "int": "1",
    "id": "1",
    "str": "sample",
    "slug": "sample",
    "path": "sample",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "isodate": "2026-11-30",
}


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name and namespace + pattern.name


def concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS[m.group(1) or "str"], route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "sample", route)
    return "/" + route


ROUTES = sorted(set(walk(get_resolver().url_patterns)))


def test_every_public_name_exists():
    """A stale allowlist entry would hide nothing, but it would also no longer mean anything."""
    assert set(PUBLIC) <= {name for _route, name in ROUTES}


def test_the_walk_found_the_project_pages():
    names = {name for _route, name in ROUTES}
    assert {
        "programs:home",
        "programs:host_home",
        "programs:host_people",
        "programs:trainee_today",
        "reports:municipality_home",
        "programs:invitation_create",
        "trainees:reflection_write",
        "trainees:reflection_matrix",
        "trainees:survey_answer",
        "admin:index",
    } <= names
    assert len(ROUTES) > 40


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[r for r, _ in ROUTES])
def test_anonymous_is_sent_to_login(client, route, name):
    url = concrete(route)
    if name in PUBLIC:
        # Public by design: it answers without a login (and without an error).
        response = client.get(url)
        assert response.status_code in (200, 302, 404, 405, 410), (url, response.status_code)
        return
    response = client.get(url, follow=True)
    assert response.redirect_chain, f"{url} answered {response.status_code} without redirect"
    final = response.redirect_chain[-1][0]
    assert final.startswith("/accounts/login/"), f"{url} -> {final}"
    assert response.status_code == 200
