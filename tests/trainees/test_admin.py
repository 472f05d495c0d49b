"""The operator's admin for reflections, surveys and interviews: every list opens, and a
change to a reviewed reflection keeps the earlier text."""

import pytest
from django.urls import reverse

from programs.models import User
from trainees.models import ReflectionRevision
from trainees.services import reflections as svc

from .conftest import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(email="ops@example.org", password="x" * 12)


@pytest.mark.parametrize(
    "model",
    [
        "dailyreflection",
        "questionset",
        "programsurvey",
        "surveyresponse",
        "interviewtemplate",
        "interview",
    ],
)
def test_changelists_open(client, operator, model):
    client.force_login(operator)
    assert client.get(reverse(f"admin:trainees_{model}_changelist")).status_code == 200


def test_an_operators_change_keeps_the_reviewed_text(
    client, operator, enrollment, today, trainee, coordinator
):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    svc.mark_reviewed(row, by=coordinator)
    client.force_login(operator)
    url = reverse("admin:trainees_dailyreflection_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = {
        "enrollment": enrollment.pk,
        "date": today.isoformat(),
        "did": "訂正した本文",
        "learned": SECTIONS["learned"],
        "felt": SECTIONS["felt"],
        "questions": "",
        "tomorrow": SECTIONS["tomorrow"],
        "self_rating": "4",
        "status": "reviewed",
        "late": "",
        "submitted_at_0": "",
        "submitted_at_1": "",
        "reviewed_at_0": "",
        "reviewed_at_1": "",
        "reviewed_by": coordinator.pk,
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.did == "訂正した本文"
    kept = ReflectionRevision.objects.get()
    assert kept.content["did"] == SECTIONS["did"] and kept.kind == "operator"
    assert kept.changed_by == operator
