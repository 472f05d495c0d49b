"""The operator's admin for reflections, surveys and interviews: every list opens, and a
change to a reviewed reflection keeps the earlier text."""

import pytest
from django.urls import reverse

from programs.models import User
from tests.factories import HostCompanyFactory
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


@pytest.mark.parametrize("model_name", ["questionset", "interviewtemplate"])
def test_the_built_in_set_and_template_are_not_deleted_in_the_admin(client, operator, model_name):
    """Pages that only read the built-in survey set or interview template never put them
    back (a GET writes nothing), so the admin keeps them: not alone, not with others."""
    from django.apps import apps

    model = apps.get_model("trainees", model_name)
    built_in = model.objects.get(host__isnull=True)
    own = model.objects.create(host=HostCompanyFactory(), name="自社の設定")
    client.force_login(operator)
    delete = reverse(f"admin:trainees_{model_name}_delete", args=[built_in.pk])
    assert client.get(delete).status_code == 403
    response = client.post(
        reverse(f"admin:trainees_{model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [built_in.pk, own.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert set(model.objects.values_list("pk", flat=True)) == {built_in.pk, own.pk}
    client.post(
        reverse(f"admin:trainees_{model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"},
    )
    assert list(model.objects.values_list("pk", flat=True)) == [built_in.pk]


def test_a_flush_puts_the_built_ins_back():
    """After a flush (or a migrate) the post_migrate receiver makes them again."""
    from django.apps import apps

    from trainees.models import InterviewTemplate, QuestionSet
    from trainees.signals import ensure_built_ins

    QuestionSet.objects.filter(host__isnull=True).delete()
    InterviewTemplate.objects.filter(host__isnull=True).delete()
    ensure_built_ins(sender=apps.get_app_config("trainees"))
    assert QuestionSet.objects.get(host__isnull=True).questions.count() > 10
    assert InterviewTemplate.objects.get(host__isnull=True).questions.exists()
