"""Cached page fragments never show data older than the last change."""

from datetime import date

import pytest
from django.urls import reverse

from ..factories import add_activity, enrol

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)


def test_week_grid_shows_each_change(client, coordinator, program):
    activity = add_activity(program, MON, "10:00", "11:00", "古いタイトル")
    client.force_login(coordinator)
    url = reverse("programs:week_grid", args=[program.pk])
    assert "古いタイトル" in client.get(url).content.decode()
    client.post(
        reverse("programs:activity_move", args=[program.pk, activity.pk]), {"direction": "later"}
    )
    board = client.get(url).content.decode().split('class="week-layout"')[1]
    assert "10:15〜11:15" in board
    client.post(reverse("programs:activity_cancel", args=[program.pk, activity.pk]))
    board = client.get(url).content.decode().split('class="week-layout"')[1]
    assert "古いタイトル" not in board


def test_program_list_counts_follow_withdrawals(client, coordinator, program, trainee):
    enrollment = enrol(program, trainee)
    client.force_login(coordinator)
    url = reverse("programs:program_list")
    assert 'data-label="研修生">1</td>' in client.get(url).content.decode()
    client.post(reverse("programs:enrollment_withdraw", args=[program.pk, enrollment.pk]))
    assert 'data-label="研修生">0</td>' in client.get(url).content.decode()


def test_fragments_are_per_user(client, coordinator, outsider, program, other_program):
    client.force_login(coordinator)
    assert program.title in client.get(reverse("programs:program_list")).content.decode()
    client.force_login(outsider)
    page = client.get(reverse("programs:program_list")).content.decode()
    assert program.title not in page and other_program.title in page


def test_fragments_follow_the_language(client, coordinator, program):
    client.force_login(coordinator)
    assert "検索" in client.get(reverse("programs:program_list")).content.decode()
    client.post(reverse("programs:set_language"), {"language": "en", "next": "/"})
    assert "Search" in client.get(reverse("programs:program_list")).content.decode()
