"""Every page of reflections and surveys: an outsider gets 404, an anonymous visitor is sent
to log in; drafts stay with their author; supervisors read their own municipality's only."""

from datetime import timedelta

import pytest
from django.urls import reverse

from trainees.models import DailyReflection
from trainees.services import reflections as svc

from .conftest import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(enrollment, trainee, today, running):
    submitted = svc.submit(enrollment, today - timedelta(days=1), SECTIONS, by=trainee)
    draft = svc.save_draft(enrollment, today, {"did": "下書きの秘密"}, by=trainee)
    return {
        "submitted": submitted.reflection,
        "draft": draft.reflection,
        "enrollment": enrollment,
        "program": running,
        "today": today,
    }


def urls(scene):
    e, today = scene["enrollment"], scene["today"]
    pk = scene["submitted"].pk
    program = scene["program"].pk
    return {
        "write": ("get", reverse("trainees:reflection_write", args=[e.pk, today])),
        "survey": ("get", reverse("trainees:survey_answer", args=[e.pk, "post"])),
        "detail": ("get", reverse("trainees:reflection_detail", args=[pk])),
        "comment": ("post", reverse("trainees:reflection_comment", args=[pk])),
        "review": ("post", reverse("trainees:reflection_review", args=[pk])),
        "matrix": ("get", reverse("trainees:reflection_matrix", args=[program])),
        "results": ("get", reverse("trainees:survey_results", args=[program])),
    }


@pytest.mark.parametrize(
    "name", ["write", "survey", "detail", "comment", "review", "matrix", "results"]
)
def test_anonymous_is_sent_to_log_in(client, scene, name):
    method, url = urls(scene)[name]
    response = getattr(client, method)(url, {"body": "x"} if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "name", ["write", "survey", "detail", "comment", "review", "matrix", "results"]
)
@pytest.mark.parametrize("who", ["outsider", "other_supervisor", "other_trainee"])
def test_outsiders_get_404(client, scene, name, who, request):
    client.force_login(request.getfixturevalue(who))
    method, url = urls(scene)[name]
    response = getattr(client, method)(url, {"body": "見えないはず"} if method == "post" else None)
    assert response.status_code == 404
    assert not scene["submitted"].comments.exists()


@pytest.mark.parametrize("who", ["outsider", "other_trainee", "coordinator", "staff"])
def test_lists_of_others_are_404(client, who, request, scene):
    """The supervisor's list is for supervisors; the trainee's list for trainees."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("trainees:supervisor_reflections")).status_code == 404
    if who in ("outsider", "coordinator", "staff"):
        assert client.get(reverse("trainees:my_reflections")).status_code == 404


def test_the_inbox_is_for_host_people_only(client, scene, supervisor, trainee, outsider):
    for user in (supervisor, trainee):
        client.force_login(user)
        assert client.get(reverse("trainees:reflection_inbox")).status_code == 404
    client.force_login(outsider)
    html = client.get(reverse("trainees:reflection_inbox")).content.decode()
    assert scene["program"].title not in html


def test_a_draft_is_private_to_its_author(client, scene, coordinator, staff, supervisor):
    draft = scene["draft"]
    for user in (coordinator, staff, supervisor):
        client.force_login(user)
        assert client.get(reverse("trainees:reflection_detail", args=[draft.pk])).status_code == 404
        response = client.post(
            reverse("trainees:reflection_comment", args=[draft.pk]), {"body": "x"}
        )
        assert response.status_code == 404
    client.force_login(supervisor)
    assert (
        "下書きの秘密"
        not in client.get(reverse("trainees:supervisor_reflections")).content.decode()
    )
    assert set(DailyReflection.objects.visible_to(supervisor)) == {scene["submitted"]}
    assert set(DailyReflection.objects.visible_to(coordinator)) == {scene["submitted"]}


def test_readers_of_a_submitted_reflection(client, scene, coordinator, staff, supervisor):
    url = reverse("trainees:reflection_detail", args=[scene["submitted"].pk])
    for user in (coordinator, staff, supervisor):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert SECTIONS["learned"] in response.content.decode()


def test_the_supervisor_list_shows_their_municipality_only(
    client, scene, supervisor, other_supervisor, elsewhere, other_trainee
):
    svc.submit(
        elsewhere,
        scene["today"] - timedelta(days=1),
        SECTIONS | {"did": "北見の記録"},
        by=other_trainee,
    )
    client.force_login(supervisor)
    html = client.get(reverse("trainees:supervisor_reflections")).content.decode()
    assert SECTIONS["did"] in html and "北見の記録" not in html
    client.force_login(other_supervisor)
    html = client.get(reverse("trainees:supervisor_reflections")).content.decode()
    assert "北見の記録" in html and SECTIONS["did"] not in html


def test_readers_who_may_not_write_get_403(client, scene, supervisor, staff, enrollment):
    """A supervisor reads the reflection but neither comments nor reviews; staff who are
    not the mentor read only; the mentor comments but does not review."""
    comment = reverse("trainees:reflection_comment", args=[scene["submitted"].pk])
    review = reverse("trainees:reflection_review", args=[scene["submitted"].pk])
    client.force_login(supervisor)
    assert client.post(comment, {"body": "監督者のコメント"}).status_code == 403
    assert client.post(review).status_code == 403
    client.force_login(staff)  # the mentor
    assert client.post(review).status_code == 403
    enrollment.mentor = None
    enrollment.save()
    assert client.post(comment, {"body": "スタッフのコメント"}).status_code == 403
    assert not scene["submitted"].comments.exists()
    scene["submitted"].refresh_from_db()
    assert scene["submitted"].status == "submitted"


def test_survey_results_are_for_the_host(client, scene, supervisor, trainee, staff):
    url = reverse("trainees:survey_results", args=[scene["program"].pk])
    for user in (supervisor, trainee):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert client.post(url, {"followup_days": "30"}).status_code == 403
