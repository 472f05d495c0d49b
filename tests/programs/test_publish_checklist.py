"""Before publishing, a checklist: what is ready and what is missing (warnings that do not
block), gathered by programs.selectors.publish.publish_checklist, the trip's line answered
by the seminars app through the registry."""

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import translation

from programs.models import Invitation, Status
from programs.selectors.publish import publish_checklist
from seminars.services.trips import save_trip

from ..factories import TraineeProfileFactory, count_queries, enrol
from ..seminars.conftest import plan

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 1)


@pytest.fixture
def draft(program):
    program.status = Status.DRAFT
    program.save()
    return program


def lines(program):
    with translation.override("ja"):
        return [(item.ok, item.text, item.url) for item in publish_checklist(program, TODAY)]


def test_a_bare_draft_warns_of_no_trainee_and_no_trip(draft):
    found = lines(draft)
    assert (False, "参加登録された研修生はまだいません。") in [(ok, t) for ok, t, _u in found]
    assert (False, "出張はまだ計画されていません。") in [(ok, t) for ok, t, _u in found]
    trip_line = next(line for line in found if "出張" in line[1])
    assert trip_line[2] == reverse("seminars:trip_new", args=[draft.pk])
    times = next(line for line in found if "振り返りのリマインド" in line[1])
    assert times == (
        True,
        "振り返りのリマインドは17:30、締切は23:59です。",
        reverse("programs:program_edit", args=[draft.pk]),
    )
    assert not any("招待" in text for _ok, text, _u in found)


def test_trainees_invitations_and_a_trip_are_counted(draft, coordinator, staff, trainee, tagawa):
    enrollments = [enrol(draft, trainee), enrol(draft, TraineeProfileFactory().user)]
    Invitation.objects.create(
        email="waiting@example.org",
        role="trainee",
        host_company=draft.host,
        program=draft,
        municipality=tagawa,
        token_hash="w" * 64,
        invited_by=coordinator,
        expires_at="2099-01-01T00:00:00Z",
    )
    trip = save_trip(draft, plan(draft, enrollments, [staff]), by=coordinator)
    found = lines(draft)
    assert (True, "研修生2人が参加登録済みです。") in [(ok, t) for ok, t, _u in found]
    assert (False, "未受諾の招待が1件あります。") in [(ok, t) for ok, t, _u in found]
    trip_line = next(line for line in found if "出張" in line[1])
    assert trip_line[0] is True
    assert (
        "地域ワーカー向け説明会の開催" in trip_line[1] and "12/1（火）〜12/2（水）" in trip_line[1]
    )
    assert trip_line[2] == reverse("seminars:trip_detail", args=[draft.pk, trip.pk])


def test_placeholders_left_in_the_week_warn_and_lead_to_the_week(draft, coordinator):
    from programs.models import WeekTemplate
    from programs.services.placeholders import remove_placeholders
    from programs.services.week_templates import apply_template

    template = WeekTemplate.objects.get(host__isnull=True, name="ITベンチャー研修（1週間）")
    apply_template(draft, template, skip_weekends=True, by=coordinator)
    line = next(line for line in lines(draft) if "予定枠" in line[1])
    assert line == (
        False,
        "週間予定の予定枠が5件まだ計画されていません（研修生には表示されません）。",
        reverse("programs:week_grid", args=[draft.pk]),
    )
    remove_placeholders(draft, by=coordinator)
    assert not any("予定枠" in text for _ok, text, _u in lines(draft))


def test_a_reminder_after_the_deadline_warns(draft):
    draft.reminder_time, draft.reflection_deadline = time(23, 0), time(21, 0)
    found = lines(draft)
    assert any(not ok and "締切" in text for ok, text, _u in found)


def test_the_page_lists_the_items_and_posts_publish_to_the_move(client, draft, coordinator):
    client.force_login(coordinator)
    detail = client.get(reverse("programs:program_detail", args=[draft.pk])).content.decode()
    publish_url = reverse("programs:program_publish", args=[draft.pk])
    assert f'href="{publish_url}">公開する</a>' in detail
    assert 'value="publish"' not in detail  # the program page no longer publishes at once
    html = client.get(publish_url).content.decode()
    assert "checklist__item--warning" in html and "参加登録された研修生はまだいません。" in html
    assert f'action="{reverse("programs:program_move", args=[draft.pk])}"' in html
    assert 'name="move" value="publish"' in html
    response = client.post(reverse("programs:program_move", args=[draft.pk]), {"move": "publish"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED  # missing items warn, they do not block
    again = client.get(publish_url).content.decode()
    assert 'value="publish"' not in again and "いまは公開できません" in again


def test_the_checklist_runs_the_same_queries_whatever_the_number_of_trainees(
    client, draft, coordinator
):
    client.force_login(coordinator)
    url = reverse("programs:program_publish", args=[draft.pk])
    for _ in range(3):
        enrol(draft, TraineeProfileFactory().user)
    few, _ = count_queries(client, url)
    for _ in range(30):
        enrol(draft, TraineeProfileFactory().user)
    many, ctx = count_queries(client, url)
    assert few == many, "\n".join(q["sql"] for q in ctx.captured_queries)
