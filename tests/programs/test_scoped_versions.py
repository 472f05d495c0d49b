"""Cached fragments are keyed on versions scoped to a program and its host: another host's
writes leave this host's pages cached (the warm query count), this host's writes refresh them
at once, and typing that nobody else sees refreshes nothing."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import add_activity, enrol, schedule_interview

pytestmark = pytest.mark.django_db
MON = date(2026, 11, 30)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


PAGES = [
    ("programs:program_list", False),
    ("programs:host_home", False),
    ("programs:week_grid", True),
    ("trainees:reflection_matrix", True),
    ("seminars:trip_list", True),
    ("trainees:interview_list", True),
]


@pytest.mark.parametrize(("name", "per_program"), PAGES)
def test_another_hosts_writes_leave_this_hosts_page_cached(
    client,
    coordinator,
    program,
    outsider,
    other_program,
    trainee,
    other_trainee,
    name,
    per_program,
):
    enrol(program, trainee)
    url = reverse(name, args=[program.pk] if per_program else [])
    client.force_login(coordinator)
    cold = queries(client, url)
    warm = queries(client, url)
    assert warm < cold
    # Host B works: an enrolment, an activity, a rename of its program, a new member.
    theirs = enrol(other_program, other_trainee)
    add_activity(other_program, MON, "10:00", "11:00", "Bの活動", participants=[theirs])
    other_program.title = "地域DX研修（改）"
    other_program.save()
    other_trainee.family_name = "改名"
    other_trainee.save()
    assert queries(client, url) == warm
    # Host A works: the page is drawn again at once.
    add_activity(program, MON, "13:00", "14:00", "Aの活動")
    assert queries(client, url) > warm


def test_another_program_of_the_same_host_leaves_a_programs_page_cached(
    client, coordinator, host, program, trainee
):
    from ..factories import ProgramFactory

    second = ProgramFactory(host=host, title="二つ目の研修")
    url = reverse("programs:week_grid", args=[program.pk])
    client.force_login(coordinator)
    queries(client, url)
    warm = queries(client, url)
    add_activity(second, MON, "10:00", "11:00", "別の研修の活動")
    assert queries(client, url) == warm
    # ... while the host's program list, which shows both, is drawn again.
    list_url = reverse("programs:program_list")
    queries(client, list_url)
    warm_list = queries(client, list_url)
    add_activity(second, MON + date.resolution, "10:00", "11:00", "もう一つ")
    second.title = "二つ目の研修（改）"
    second.save()
    assert queries(client, list_url) > warm_list


def test_typing_an_interview_bumps_nothing(coordinator, program, trainee):
    from datetime import time

    from programs import cache as kenshu_cache
    from trainees.services import interviews as interview_services

    enrollment = enrol(program, trainee)
    interview = schedule_interview(
        enrollment, coordinator, date(2026, 12, 4), time(15), time(16), place="会議室"
    )
    scopes = [
        kenshu_cache.program_scope(program.pk, "trainees"),
        kenshu_cache.host_scope(program.host_id, "trainees"),
    ]
    before = kenshu_cache.versions(scopes)
    for seq, text in enumerate(["は", "はい、", "はい、知りませんでした。"], start=1):
        data = {q.pk: text for q in interview.questions.all()}
        assert interview_services.save_answers(
            interview, data, by=coordinator, client_id="tab", client_seq=seq
        )
    assert kenshu_cache.versions(scopes) == before
    interview_services.finish(interview, by=coordinator)  # the list shows the new state
    after = kenshu_cache.versions(scopes)
    assert after[0] != before[0] and after[1] != before[1]


def test_with_the_cache_switched_off_every_request_draws_the_page(
    client, coordinator, program, trainee, settings
):
    enrol(program, trainee)
    url = reverse("programs:week_grid", args=[program.pk])
    client.force_login(coordinator)
    cached_cold = queries(client, url)
    assert queries(client, url) < cached_cold
    settings.KENSHU_FRAGMENT_CACHE = False
    first, second = queries(client, url), queries(client, url)
    assert first == second == cached_cold  # the page's own queries, every time
    add_activity(program, MON, "13:00", "14:00", "すぐに見える活動")
    assert "すぐに見える活動" in client.get(url).content.decode()
