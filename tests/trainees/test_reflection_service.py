"""The reflection's rules, without HTTP: which days, safe repeated saves, limits, late
submission, double submit, review locks, history, who may comment."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from programs.models import ActivityLog
from programs.services.programs import withdraw
from trainees.models import (
    SECTION_LIMIT,
    DailyReflection,
    ReflectionComment,
    ReflectionRevision,
    ReflectionStatus,
)
from trainees.services import reflections as svc

from ..factories import ProgramFactory, add_activity
from .conftest import SECTIONS, first_save_from

pytestmark = pytest.mark.django_db


def test_days_are_weekdays_and_weekends_with_an_activity(host):
    program = ProgramFactory(host=host, start_date=date(2026, 12, 3), end_date=date(2026, 12, 9))
    assert [d.day for d in svc.reflection_days(program)] == [3, 4, 7, 8, 9]
    add_activity(program, date(2026, 12, 5), "10:00", "11:00", "土曜の視察")
    assert [d.day for d in svc.reflection_days(program)] == [3, 4, 5, 7, 8, 9]


def test_the_deadline_is_the_programs_time_in_japan(running, today):
    deadline = svc.deadline_of(running, today)
    assert timezone.localtime(deadline).time() == time(23, 59)
    assert str(timezone.localtime(deadline).tzinfo) == "Asia/Tokyo"


def test_a_draft_is_saved_once_per_change_from_the_same_page(enrollment, today, trainee):
    first = svc.save_draft(
        enrollment, today, {"did": "一"}, by=trainee, client_id="a", client_seq=1
    )
    assert first.applied and first.reflection.revision == 1
    # The same save again (a retry after a lost answer): nothing changes.
    again = svc.save_draft(
        enrollment, today, {"did": "一"}, by=trainee, client_id="a", client_seq=1
    )
    assert not again.applied and again.reflection.revision == 1
    newer = svc.save_draft(
        enrollment, today, {"did": "一二"}, by=trainee, client_id="a", client_seq=2
    )
    assert newer.applied and newer.reflection.revision == 2
    # An older save delivered late never overwrites the newer text.
    late = svc.save_draft(enrollment, today, {"did": "一"}, by=trainee, client_id="a", client_seq=1)
    assert not late.applied
    assert DailyReflection.objects.get().did == "一二"
    assert DailyReflection.objects.count() == 1


def test_a_save_from_another_device_keeps_the_text_it_replaces(enrollment, today, trainee):
    first_save_from("phone", enrollment, today, {"did": "電車で書いた"})
    first_save_from("pc", enrollment, today, {"did": "会社で書いた"})
    assert DailyReflection.objects.get().did == "会社で書いた"
    kept = ReflectionRevision.objects.get()
    assert kept.content["did"] == "電車で書いた"


def test_over_long_text_is_refused_and_nothing_is_saved(enrollment, today, trainee):
    svc.save_draft(enrollment, today, {"did": "短い"}, by=trainee)
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.save_draft(enrollment, today, {"did": "あ" * (SECTION_LIMIT + 1)}, by=trainee)
    assert "did" in refused.value.errors
    assert str(SECTION_LIMIT) in refused.value.errors["did"]
    assert DailyReflection.objects.get().did == "短い"
    # Exactly at the limit is fine.
    svc.save_draft(enrollment, today, {"did": "あ" * SECTION_LIMIT}, by=trainee)


@pytest.mark.parametrize("rating", ["0", "6", "-1", "x", "3.5"])
def test_a_rating_outside_one_to_five_is_refused(enrollment, today, trainee, rating):
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.save_draft(enrollment, today, {"did": "x", "self_rating": rating}, by=trainee)
    assert "self_rating" in refused.value.errors
    assert not DailyReflection.objects.exists()


def test_days_outside_the_program_or_to_come_are_refused(enrollment, today, trainee, running):
    for day, code in [
        (running.start_date - timedelta(days=1), "not_a_day"),
        (running.end_date + timedelta(days=1), "not_a_day"),
        (today + timedelta(days=1), "future"),
    ]:
        with pytest.raises(svc.ReflectionRefused) as refused:
            svc.save_draft(enrollment, day, {"did": "x"}, by=trainee)
        assert refused.value.code == code
    assert not DailyReflection.objects.exists()


def test_a_withdrawn_trainee_cannot_write(enrollment, today, trainee, coordinator):
    withdraw(enrollment, by=coordinator, reason="体調不良")
    enrollment.refresh_from_db()
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.save_draft(enrollment, today, {"did": "x"}, by=trainee)
    assert refused.value.code == "withdrawn"


def test_submit_needs_what_was_done_and_a_rating(enrollment, today, trainee):
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.submit(enrollment, today, {"learned": "学び"}, by=trainee)
    assert set(refused.value.errors) == {"did", "self_rating"}
    assert not DailyReflection.objects.exists()


def test_submitted_before_the_deadline_is_on_time(enrollment, today, trainee):
    saved = svc.submit(enrollment, today, SECTIONS, by=trainee)
    row = saved.reflection
    assert row.status == ReflectionStatus.SUBMITTED and not row.late
    assert row.self_rating == 4 and row.did == SECTIONS["did"]
    assert ActivityLog.objects.filter(action="reflection.submitted").count() == 1


def test_submitted_after_the_deadline_is_marked_late_not_refused(enrollment, today, trainee):
    yesterday = today - timedelta(days=1)
    saved = svc.submit(enrollment, yesterday, SECTIONS, by=trainee)
    assert saved.reflection.status == ReflectionStatus.SUBMITTED
    assert saved.reflection.late


def test_one_minute_before_the_deadline_is_not_late(enrollment, today, trainee, running):
    just_before = timezone.make_aware(datetime.combine(today, time(23, 58)))
    saved = svc.submit(enrollment, today, SECTIONS, by=trainee, now=just_before)
    assert not saved.reflection.late


def test_a_double_submit_changes_nothing(enrollment, today, trainee):
    first = svc.submit(enrollment, today, SECTIONS, by=trainee)
    second = svc.submit(
        enrollment, today, SECTIONS, by=trainee, now=timezone.now() + timedelta(days=2)
    )
    assert first.applied and not second.applied
    row = DailyReflection.objects.get()
    assert row.submitted_at == first.reflection.submitted_at and not row.late
    assert ActivityLog.objects.filter(action="reflection.submitted").count() == 1


def test_review_locks_the_reflection(enrollment, today, trainee, coordinator):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    svc.mark_reviewed(row, by=coordinator)
    row.refresh_from_db()
    assert row.status == ReflectionStatus.REVIEWED and row.reviewed_by == coordinator
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.save_draft(enrollment, today, SECTIONS | {"did": "書き換え"}, by=trainee)
    assert refused.value.code == "locked"
    assert DailyReflection.objects.get().did == SECTIONS["did"]


def test_only_a_coordinator_reviews_and_never_a_draft(
    enrollment, today, trainee, staff, coordinator
):
    draft = svc.save_draft(enrollment, today, {"did": "下書き"}, by=trainee).reflection
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.mark_reviewed(draft, by=coordinator)
    assert refused.value.code == "draft"
    submitted = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    with pytest.raises(svc.ReflectionRefused) as refused:
        svc.mark_reviewed(submitted, by=staff)
    assert refused.value.code == "forbidden"


def test_a_change_after_review_keeps_the_earlier_text(enrollment, today, trainee, coordinator):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    svc.mark_reviewed(row, by=coordinator)
    row.refresh_from_db()
    previous = row.content()
    row.did = "訂正後の本文"
    row.save()
    svc.change_by_operator(row, previous, by=coordinator, reason="誤字の訂正")
    kept = ReflectionRevision.objects.get()
    assert kept.content["did"] == SECTIONS["did"] and kept.reason == "誤字の訂正"
    assert kept.kind == "operator" and kept.status == ReflectionStatus.REVIEWED
    assert DailyReflection.objects.get().did == "訂正後の本文"


def test_who_may_comment(enrollment, today, trainee, coordinator, staff, supervisor, outsider):
    row = svc.save_draft(enrollment, today, {"did": "下書き"}, by=trainee).reflection
    assert not svc.can_comment(coordinator, row)  # a draft has no thread yet
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    assert svc.can_comment(coordinator, row)
    assert svc.can_comment(staff, row)  # the mentor
    assert svc.can_comment(trainee, row)  # a reply
    assert not svc.can_comment(supervisor, row)
    assert not svc.can_comment(outsider, row)
    enrollment.mentor = None
    enrollment.save()
    row.refresh_from_db()
    assert not svc.can_comment(staff, row)  # staff who are not the mentor read only


def test_comments_are_checked_and_marked_read(enrollment, today, trainee, coordinator):
    row = svc.submit(enrollment, today, SECTIONS, by=trainee).reflection
    for body in ["", "   ", "あ" * 2001]:
        with pytest.raises(svc.ReflectionRefused):
            svc.add_comment(row, body, by=coordinator)
    svc.add_comment(row, "よく書けています", by=coordinator)
    reply = svc.add_comment(row, "ありがとうございます", by=trainee)
    assert reply.read_by_trainee_at is not None  # one's own reply is not "unread"
    assert ReflectionComment.objects.filter(read_by_trainee_at__isnull=True).count() == 1
    assert svc.mark_comments_read(row, coordinator) == 0  # only the trainee reads them
    assert svc.mark_comments_read(row, trainee) == 1
    assert not ReflectionComment.objects.filter(read_by_trainee_at__isnull=True).exists()


def test_a_save_still_on_its_way_after_submit_is_not_applied(enrollment, today, trainee):
    """The page autosaves change 3, the trainee submits (change 4) before the answer comes:
    the autosave, arriving last, is older and changes nothing."""
    svc.save_draft(enrollment, today, {"did": "途中"}, by=trainee, client_id="p", client_seq=2)
    svc.submit(
        enrollment, today, SECTIONS, by=trainee, client_id="p", client_seq=4, base_revision=1
    )
    late = svc.save_draft(
        enrollment, today, {"did": "途中まで"}, by=trainee, client_id="p", client_seq=3
    )
    assert not late.applied
    row = DailyReflection.objects.get()
    assert row.did == SECTIONS["did"] and row.status == ReflectionStatus.SUBMITTED


def test_a_submit_from_a_stale_tab_keeps_the_newer_text_in_history(enrollment, today, trainee):
    first_save_from("phone", enrollment, today, {"did": "スマホで書いた続き"})
    svc.submit(
        enrollment, today, SECTIONS, by=trainee, client_id="pc", client_seq=1, base_revision=0
    )
    kept = ReflectionRevision.objects.get()
    assert kept.content["did"] == "スマホで書いた続き" and kept.kind == "draft_replaced"
    assert kept.status == ReflectionStatus.DRAFT


def test_the_first_change_after_submission_keeps_the_submitted_text(enrollment, today, trainee):
    svc.submit(enrollment, today, SECTIONS, by=trainee)
    svc.save_draft(enrollment, today, SECTIONS | {"did": "追記1"}, by=trainee)
    svc.save_draft(enrollment, today, SECTIONS | {"did": "追記2"}, by=trainee)
    kept = ReflectionRevision.objects.get()  # one, not one per keystroke
    assert kept.content["did"] == SECTIONS["did"] and kept.kind == "after_submission"
    assert kept.status == ReflectionStatus.SUBMITTED
    # Submitting the changes makes them the submitted text; the next change keeps them.
    again = svc.submit(enrollment, today, SECTIONS | {"did": "追記3"}, by=trainee)
    assert again.applied and not again.first_submission
    svc.save_draft(enrollment, today, SECTIONS | {"did": "追記4"}, by=trainee)
    assert list(
        ReflectionRevision.objects.order_by("pk").values_list("content__did", flat=True)
    ) == [SECTIONS["did"], "追記3"]
    row = DailyReflection.objects.get()
    assert row.status == ReflectionStatus.SUBMITTED and row.did == "追記4"
