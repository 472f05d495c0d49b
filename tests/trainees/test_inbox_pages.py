"""The new-reflections inbox shows fifty a page, oldest waiting first, says how many wait in
all, and runs the same queries on any page whatever the rows."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trainees.models import DailyReflection, ReflectionStatus
from trainees.services import reflections as reflection_services

from ..factories import TraineeProfileFactory, UserFactory, enrol
from .conftest import SECTIONS

pytestmark = pytest.mark.django_db
INBOX = reverse("trainees:reflection_inbox")


def submitted(program, tagawa, trainees: int) -> list[int]:
    """`trainees` trainees, each submitting every day so far; the ids, oldest first."""
    for _ in range(trainees):
        trainee = TraineeProfileFactory(user=UserFactory(), municipality=tagawa).user
        enrollment = enrol(program, trainee)
        for day in reflection_services.reflection_days(program)[:3]:  # three days up to today
            reflection_services.submit(enrollment, day, SECTIONS, by=trainee)
    return list(
        DailyReflection.objects.filter(status=ReflectionStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)
    )


def shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/reflections/(\d+)/"', html)]


def test_fifty_a_page_oldest_first_and_every_one_reachable(client, coordinator, running, tagawa):
    ids = submitted(running, tagawa, 19)  # 57 waiting
    assert len(ids) == 57
    client.force_login(coordinator)
    first = client.get(INBOX).content.decode()
    assert shown(first) == ids[:50]
    assert "確認待ちの振り返り 57 件（古い順）。1〜50 件目を表示しています。" in first
    assert 'href="?page=2"' in first and "1 / 2" in first
    second = client.get(INBOX, {"page": "2"}).content.decode()
    assert shown(second) == ids[50:]
    assert "51〜57 件目を表示しています。" in second and 'href="?page=1"' in second
    # A page past the last shows the last; a page that is no number, the first.
    assert shown(client.get(INBOX, {"page": "9"}).content.decode()) == ids[50:]
    for odd in ("x", "-1", "0", "9" * 40, "２", "²", "1.5", " 2"):
        response = client.get(INBOX, {"page": odd})
        assert response.status_code == 200, odd
        assert shown(response.content.decode()) == ids[:50], odd


def test_one_page_only_says_how_many_without_pages(client, coordinator, running, tagawa):
    ids = submitted(running, tagawa, 2)
    client.force_login(coordinator)
    html = client.get(INBOX).content.decode()
    assert shown(html) == ids and f"確認待ちの振り返り {len(ids)} 件（古い順）。" in html
    assert "件目を表示" not in html and 'class="pagination"' not in html


def test_reviewing_moves_the_next_reflection_onto_the_first_page(
    client, coordinator, running, tagawa
):
    ids = submitted(running, tagawa, 17)  # 51 waiting
    client.force_login(coordinator)
    assert shown(client.get(INBOX).content.decode()) == ids[:50]
    reflection_services.mark_reviewed(DailyReflection.objects.get(pk=ids[0]), by=coordinator)
    html = client.get(INBOX).content.decode()
    assert shown(html) == ids[1:51] and "確認待ちの振り返り 50 件" in html


# (Not named "page": that is Playwright's fixture, and would make this a browser test.)
@pytest.mark.parametrize("number", ["1", "2"])
def test_each_page_costs_the_same_queries_whatever_the_rows(
    client, coordinator, running, tagawa, number
):
    client.force_login(coordinator)
    counts = []
    for trainees in (18, 40):  # 54, then 174 waiting
        submitted(running, tagawa, trainees)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INBOX, {"page": number}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
