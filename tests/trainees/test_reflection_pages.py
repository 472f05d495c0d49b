"""The reflection pages over HTTP: the trainee writes (form and automatic save), coordinators
comment and review, the comment reaches the trainee, text is shown as text everywhere."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from trainees.models import SECTION_LIMIT, DailyReflection, ReflectionStatus
from trainees.services import reflections as svc

from .conftest import SECTIONS, first_save_from, write_url

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><b>太字</b>'


def autosave(client, enrollment, day, data, *, seq, client_id="page-1", base=""):
    return client.post(
        write_url(enrollment, day),
        data | {"client_id": client_id, "client_seq": seq, "base_revision": base},
        headers={"X-Kenshu-Autosave": "1"},
    )


def test_the_trainee_writes_and_submits_with_the_plain_form(client, trainee, enrollment, today):
    client.force_login(trainee)
    page = client.get(write_url(enrollment, today))
    assert page.status_code == 200
    for label in [
        "今日やったこと",
        "学んだこと",
        "感じたこと・驚いたこと",
        "質問・不安",
        "明日の目標",
    ]:
        assert label in page.content.decode()
    response = client.post(write_url(enrollment, today), SECTIONS | {"action": "save"})
    assert response.status_code == 302
    assert DailyReflection.objects.get().status == ReflectionStatus.DRAFT
    response = client.post(write_url(enrollment, today), SECTIONS | {"action": "submit"})
    assert response.status_code == 302
    row = DailyReflection.objects.get()
    assert row.status == ReflectionStatus.SUBMITTED and not row.late
    followed = client.get(response["Location"])
    assert "提出しました" in followed.content.decode()


def test_autosave_answers_json_and_applies_each_change_once(client, trainee, enrollment, today):
    client.force_login(trainee)
    first = autosave(client, enrollment, today, {"did": "電車の中で"}, seq=1)
    assert first.status_code == 200
    body = first.json()
    assert body["ok"] and body["applied"] and body["revision"] == 1
    assert "保存しました" in body["message"]
    repeat = autosave(client, enrollment, today, {"did": "電車の中で"}, seq=1)
    assert repeat.json()["applied"] is False and repeat.json()["revision"] == 1
    assert DailyReflection.objects.get().revision == 1


def test_autosave_refuses_over_long_text_and_keeps_what_was_saved(
    client, trainee, enrollment, today
):
    client.force_login(trainee)
    autosave(client, enrollment, today, {"did": "保存済み"}, seq=1)
    response = autosave(client, enrollment, today, {"did": "あ" * (SECTION_LIMIT + 5)}, seq=2)
    assert response.status_code == 400
    assert "did" in response.json()["errors"]
    assert DailyReflection.objects.get().did == "保存済み"


def test_a_refused_submit_keeps_every_word_on_the_page(client, trainee, enrollment, today):
    client.force_login(trainee)
    long_text = "長" * (SECTION_LIMIT + 1)
    response = client.post(
        write_url(enrollment, today),
        {"did": long_text, "learned": "残してほしい学び", "action": "submit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert long_text in html and "残してほしい学び" in html
    assert f"{SECTION_LIMIT + 1} / {SECTION_LIMIT}" in html  # the counter shows why
    assert "評価" in html or "1〜5" in html  # the missing rating is named next to its field
    assert not DailyReflection.objects.exists()


def test_another_trainees_enrolment_or_a_day_outside_is_404(
    client, trainee, enrollment, elsewhere, today, running
):
    client.force_login(trainee)
    assert client.get(write_url(elsewhere, today)).status_code == 404
    assert client.post(write_url(elsewhere, today), SECTIONS).status_code == 404
    for day in [running.start_date - timedelta(days=1), today + timedelta(days=1)]:
        assert client.get(write_url(enrollment, day)).status_code == 404
    assert not DailyReflection.objects.exists()


def test_a_comment_reaches_the_trainee(client, trainee, coordinator, enrollment, today):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    client.force_login(coordinator)
    detail = reverse("trainees:reflection_detail", args=[row.pk])
    response = client.post(
        reverse("trainees:reflection_comment", args=[row.pk]), {"body": "いい気づき！"}
    )
    assert response.status_code == 302
    client.force_login(trainee)
    today_page = client.get(reverse("programs:trainee_today")).content.decode()
    assert "の振り返りに新しいコメント" in today_page and "未読 1 件" in today_page
    page = client.get(write_url(enrollment, today)).content.decode()
    assert "いい気づき！" in page
    # Opening the page writes nothing; its script then says the thread was read.
    assert "未読 1 件" in client.get(reverse("programs:trainee_today")).content.decode()
    read = client.post(
        reverse("trainees:reflection_comment", args=[row.pk]), headers={"X-Kenshu-Read": "1"}
    )
    assert read.status_code == 204
    # Read now: "today" no longer lists it as unread.
    assert "新しいコメント" not in client.get(reverse("programs:trainee_today")).content.decode()
    # The trainee replies in the same thread.
    client.post(
        reverse("trainees:reflection_comment", args=[row.pk]), {"body": "ありがとうございます"}
    )
    client.force_login(coordinator)
    assert "ありがとうございます" in client.get(detail).content.decode()


def test_an_empty_comment_is_refused_next_to_the_field(
    client, coordinator, trainee, enrollment, today
):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    client.force_login(coordinator)
    response = client.post(reverse("trainees:reflection_comment", args=[row.pk]), {"body": "   "})
    assert response.status_code == 400
    assert "コメントを書いてください" in response.content.decode()
    too_long = "長" * 2001
    response = client.post(
        reverse("trainees:reflection_comment", args=[row.pk]), {"body": too_long}
    )
    assert response.status_code == 400 and too_long in response.content.decode()
    assert not row.comments.exists()


def test_the_coordinator_marks_reviewed_and_the_trainee_sees_it_locked(
    client, coordinator, staff, trainee, enrollment, today
):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    client.force_login(staff)
    assert client.post(reverse("trainees:reflection_review", args=[row.pk])).status_code == 403
    client.force_login(coordinator)
    assert client.post(reverse("trainees:reflection_review", args=[row.pk])).status_code == 302
    client.force_login(trainee)
    page = client.get(write_url(enrollment, today)).content.decode()
    assert "変更できません" in page and '<textarea name="did"' not in page
    response = autosave(client, enrollment, today, {"did": "書き換え"}, seq=9)
    assert response.status_code == 409
    assert DailyReflection.objects.get().did == SECTIONS["did"]


def test_html_is_shown_as_text_everywhere(
    client, trainee, coordinator, supervisor, enrollment, today, running
):
    row = svc.submit(
        enrollment, today, SECTIONS | {"did": SCRIPT, "learned": SCRIPT}, by=trainee
    ).reflection
    svc.add_comment(row, SCRIPT, by=coordinator)
    pages = [
        (trainee, write_url(enrollment, today)),
        (coordinator, reverse("trainees:reflection_detail", args=[row.pk])),
        (coordinator, reverse("trainees:reflection_inbox")),
        (coordinator, reverse("trainees:reflection_matrix", args=[running.pk])),
        (supervisor, reverse("trainees:supervisor_reflections")),
        (supervisor, reverse("trainees:reflection_detail", args=[row.pk])),
    ]
    for user, url in pages:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<b>太字</b>" not in html, url
    client.force_login(trainee)
    saved = autosave(client, enrollment, today - timedelta(days=1), {"did": SCRIPT}, seq=1)
    assert json.loads(saved.content)["ok"]  # stored as typed, escaped when shown


def test_names_places_and_titles_are_escaped_in_the_tables(
    client, coordinator, trainee, enrollment, today, running
):
    """The matrix and the inbox print cells the view escaped (their rows are drawn without
    Jinja2's escaping): a name, a municipality or a title with markup shows as text."""
    from programs.models import Municipality, Program

    trainee.family_name = SCRIPT
    trainee.save(update_fields=["family_name"])
    Municipality.objects.filter(pk=enrollment.municipality_id).update(name="<i>田川</i>市")
    Program.objects.filter(pk=running.pk).update(title="<u>研修</u> & 'A'")
    svc.submit(enrollment, today, SECTIONS, by=trainee)
    client.force_login(coordinator)
    for url in (
        reverse("trainees:reflection_matrix", args=[running.pk]),
        reverse("trainees:reflection_inbox"),
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<b>太字</b>" not in html, url
        assert "&lt;script&gt;" in html and "&lt;b&gt;太字&lt;/b&gt;" in html, url
        assert "<i>田川</i>" not in html and "&lt;i&gt;田川&lt;/i&gt;市" in html, url
        assert "<u>研修</u>" not in html, url
    assert "&lt;u&gt;研修&lt;/u&gt; &amp; " in html  # the inbox's program column


def test_the_matrix_shows_each_state(client, coordinator, trainee, enrollment, today, running):
    svc.submit(enrollment, running.start_date, SECTIONS, by=trainee)  # late by now
    on_time = svc.submit(
        enrollment,
        today - timedelta(days=1),
        SECTIONS,
        by=trainee,
        now=svc.deadline_of(running, today - timedelta(days=1)) - timedelta(hours=1),
    ).reflection
    svc.mark_reviewed(on_time, by=coordinator)
    svc.save_draft(enrollment, today, {"did": "途中"}, by=trainee)
    client.force_login(coordinator)
    html = client.get(reverse("trainees:reflection_matrix", args=[running.pk])).content.decode()
    assert '<td class="cell cell--late"' in html and '<td class="cell cell--reviewed"' in html
    assert '<td class="cell cell--draft"' in html and '<td class="cell cell--upcoming"' in html
    assert "途中" not in html  # a draft's state shows, never its text
    assert reverse("trainees:reflection_detail", args=[on_time.pk]) in html


def test_the_trainees_list_shows_states_and_unread_comments(
    client, trainee, coordinator, enrollment, today, running
):
    row = svc.submit(enrollment, today - timedelta(days=1), SECTIONS, by=trainee).reflection
    svc.add_comment(row, "確認しました", by=coordinator)
    client.force_login(trainee)
    html = client.get(reverse("trainees:my_reflections")).content.decode()
    assert running.title in html
    assert "新しいコメント 1 件" in html
    assert "未提出" in html  # day 1 passed without one


def test_readers_see_submitted_history_never_a_drafts(
    client, trainee, coordinator, enrollment, today
):
    first_save_from("phone", enrollment, today, {"did": "下書きの秘密"})
    row = svc.submit(
        enrollment, today, SECTIONS, by=trainee, client_id="pc", client_seq=1, base_revision=0
    ).reflection
    svc.save_draft(enrollment, today, SECTIONS | {"did": "提出後の追記"}, by=trainee)
    client.force_login(coordinator)
    html = client.get(reverse("trainees:reflection_detail", args=[row.pk])).content.decode()
    assert "下書きの秘密" not in html
    assert SECTIONS["did"] in html and "提出後に変更" in html  # the submitted text, labelled
    assert "今日やったこと" in html and "did" not in html.split("以前の版")[1][:200]
    client.force_login(trainee)
    html = client.get(write_url(enrollment, today)).content.decode()
    assert "下書きの秘密" in html  # the author keeps everything they wrote


def test_a_refused_submit_puts_the_cursor_on_the_first_problem(client, trainee, enrollment, today):
    client.force_login(trainee)
    response = client.post(write_url(enrollment, today), {"did": "書いた", "action": "submit"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'name="self_rating" value="1" data-autosave autofocus' in html


def test_the_cached_matrix_and_list_follow_every_write(
    client, coordinator, trainee, enrollment, today, running
):
    client.force_login(coordinator)
    matrix = reverse("trainees:reflection_matrix", args=[running.pk])
    inbox = reverse("trainees:reflection_inbox")
    assert '<td class="cell cell--submitted"' not in client.get(matrix).content.decode()
    assert '<td class="cell cell--draft"' not in client.get(matrix).content.decode()
    client.get(inbox)  # both cached now
    svc.save_draft(enrollment, today, {"did": "途中"}, by=trainee)
    assert '<td class="cell cell--draft"' in client.get(matrix).content.decode()
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    assert '<td class="cell cell--submitted"' in client.get(matrix).content.decode()
    assert (
        reverse("trainees:reflection_detail", args=[row.pk]) in client.get(inbox).content.decode()
    )
    svc.add_comment(row, "一言", by=coordinator)
    assert 'badge--comments">1' in client.get(matrix).content.decode()
    svc.mark_reviewed(row, by=coordinator)
    assert '<td class="cell cell--reviewed"' in client.get(matrix).content.decode()
    assert (
        reverse("trainees:reflection_detail", args=[row.pk])
        not in client.get(inbox).content.decode()
    )


def test_home_pages_say_what_waits_for_readers(client, coordinator, trainee, enrollment, today):
    svc.submit(enrollment, today, SECTIONS, by=trainee)
    client.force_login(coordinator)
    html = client.get(reverse("programs:host_home")).content.decode()
    assert "確認待ちの振り返り 1 件" in html and reverse("trainees:reflection_inbox") in html


def test_typing_a_draft_does_not_invalidate_the_hosts_cached_pages(
    client, trainee, enrollment, today
):
    from programs import cache as kenshu_cache

    program = enrollment.program
    scopes = [
        kenshu_cache.program_scope(program.pk, "trainees"),
        kenshu_cache.host_scope(program.host_id, "trainees"),
    ]
    svc.save_draft(enrollment, today, {"did": "一"}, by=trainee)  # the row appears: a bump
    before = kenshu_cache.versions(scopes)
    svc.save_draft(enrollment, today, {"did": "一二"}, by=trainee)
    svc.save_draft(enrollment, today, {"did": "一二三", "self_rating": "3"}, by=trainee)
    assert kenshu_cache.versions(scopes) == before
    svc.submit(enrollment, today, SECTIONS, by=trainee)
    after = kenshu_cache.versions(scopes)
    assert after[0] != before[0] and after[1] != before[1]


def test_opening_the_page_writes_nothing(client, trainee, coordinator, enrollment, today):
    """A GET of the trainee's page (with a reflection and an unread comment) sends no
    INSERT, UPDATE or DELETE: the comments are marked read by the page's own POST."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trainees.models import ReflectionComment

    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    svc.add_comment(row, "確認しました", by=coordinator)
    client.force_login(trainee)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(write_url(enrollment, today))
    assert response.status_code == 200 and "確認しました" in response.content.decode()
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert ReflectionComment.objects.filter(read_by_trainee_at__isnull=True).count() == 1
