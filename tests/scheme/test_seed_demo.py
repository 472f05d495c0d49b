"""The demo's call, as the README's tour meets it: next 年度's call closed three days ago,
three hosts' offers, six municipalities' applications from the registry, one run of the
matching, 田川市's pair confirmed with its draft program and the others waiting."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from programs.models import Program, Status, fiscal_year_of
from scheme.models import Application, Call, Match, MatchRun, Offer

pytestmark = pytest.mark.django_db


def test_the_demo_call_is_matched_and_one_pair_confirmed(client):
    call_command("seed_demo")
    call = Call.objects.get()
    today = timezone.localdate()
    assert call.fiscal_year == fiscal_year_of(today) + 1
    assert call.state(timezone.now()) == "closed"
    assert Offer.objects.filter(call=call).values("host").distinct().count() == 3
    applications = Application.objects.filter(call=call)
    assert applications.count() == 6
    assert set(applications.values_list("municipality__code", flat=True)) >= {"402061", "282090"}
    run = MatchRun.objects.finished().get()
    assert run.matched >= 5 and run.applications == 6
    match = Match.objects.get()
    assert match.application.municipality.name == "田川市"
    assert match.program.status == Status.DRAFT
    assert match.program.start_date == match.start_week
    assert Program.objects.filter(scheme_match__isnull=False).count() == 1
    unmatched = run.proposals.filter(offer__isnull=True).get()
    assert unmatched.application.municipality.name == "飯塚市" and unmatched.reason

    call_command("seed_demo")  # a second run changes nothing
    assert Call.objects.count() == 1 and Match.objects.count() == 1
    assert MatchRun.objects.count() == 1

    assert client.login(email="office@example.com", password="kenshu-demo")
    assert client.get("/").url == reverse("scheme:calls")
    page = client.get(reverse("scheme:matching", args=[call.pk])).content.decode()
    assert "飯塚市" in page and "田川市" in page
