"""Reminders, eagerly: who is due and when (Japan time), one row per occasion however often
the dispatcher runs, what the email says and in which language, and every reason a row is
not sent (submitted since, turned off, withdrawn, an inactive account)."""

import os
import time as clock
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from programs.models import Notification, NotificationStatus, ReminderOptOut
from programs.services import reminders as svc
from programs.services.programs import withdraw
from trainees.services import reflections

from ..factories import schedule_interview
from .conftest import SECTIONS

pytestmark = pytest.mark.django_db
S = NotificationStatus


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def evening(now):
    """Dispatch, and count only the new rows of the evening reflection reminder."""
    before = Notification.objects.filter(kind="reflection").count()
    svc.dispatch(now)
    return Notification.objects.filter(kind="reflection").count() - before


def dispatch_evening(now):
    """Dispatch and keep only the evening reminders: the running program's day before also
    gives morning reminders, which the morning test looks at on its own."""
    svc.dispatch(now)
    Notification.objects.exclude(kind="reflection").delete()


def send_all(now):
    for ids in svc.due_batches(now):
        svc.send_batch(ids, now=now)


def test_the_reflection_reminder_comes_at_the_programs_time_once(enrollment, today, trainee):
    assert evening(at(today, 17, 29)) == 0
    assert evening(at(today, 17, 31)) == 1
    assert svc.dispatch(at(today, 17, 36)) == 0  # a second tick, a second beat: nothing new
    row = Notification.objects.get(kind="reflection")
    assert row.kind == "reflection" and row.recipient == trainee
    assert row.key == f"reflection:{enrollment.pk}:{today.isoformat()}"
    send_all(at(today, 17, 31))
    message = next(m for m in mail.outbox if "今日の振り返り" in m.subject)
    assert message.to == [trainee.email]
    assert "今日の振り返り" in message.subject and "23:59" in message.subject
    assert f"/my/reflections/{enrollment.pk}/{today.isoformat()}/" in message.body
    assert "/reminders/off/" in message.extra_headers["List-Unsubscribe"]
    assert "/reminders/" in message.body  # and the body links to all the settings
    assert message.alternatives and "<a href=" in message.alternatives[0][0]
    row.refresh_from_db()
    assert row.status == S.SENT and row.sent_at is not None
    sent = len(mail.outbox)
    svc.dispatch(at(today, 17, 41))
    send_all(at(today, 17, 41))
    assert len(mail.outbox) == sent  # never twice


def test_in_the_recipients_language(enrollment, today, trainee):
    trainee.language = "en"
    trainee.save()
    dispatch_evening(at(today, 18))
    send_all(at(today, 18))
    message = mail.outbox[0]
    assert message.subject.startswith("Today's reflection") and "Dear" in message.body


def test_no_reminder_for_a_submitted_reflection_or_after_the_deadline(enrollment, today, trainee):
    dispatch_evening(at(today, 18))
    reflections.submit(enrollment, today, SECTIONS, by=trainee)  # before the batch runs
    send_all(at(today, 18))
    assert mail.outbox == []
    assert Notification.objects.get().status == S.SKIPPED
    Notification.objects.all().delete()
    assert evening(at(today, 23, 59) + timedelta(seconds=30)) == 0


def test_turned_off_unless_the_program_requires_it(enrollment, today, trainee, running):
    ReminderOptOut.objects.create(user=trainee, kind="reflection")
    dispatch_evening(at(today, 18))
    send_all(at(today, 18))
    assert mail.outbox == [] and Notification.objects.get().error.startswith("turned off")
    Notification.objects.all().delete()
    running.required_reminders = ["reflection"]
    running.save()
    dispatch_evening(at(today, 18))
    send_all(at(today, 18))
    assert len(mail.outbox) == 1


def test_withdrawn_after_the_row_was_written(enrollment, today, trainee, coordinator):
    dispatch_evening(at(today, 18))
    withdraw(enrollment, by=coordinator, reason="")
    send_all(at(today, 18))
    assert mail.outbox == [] and Notification.objects.get().status == S.SKIPPED


def test_an_inactive_account_is_skipped_and_the_batch_goes_on(
    enrollment, today, trainee, running, tagawa
):
    from ..factories import TraineeProfileFactory, UserFactory, enrol

    other = TraineeProfileFactory(user=UserFactory(), municipality=tagawa).user
    enrol(running, other)
    trainee.is_active = False
    trainee.save()
    dispatch_evening(at(today, 18))
    send_all(at(today, 18))
    assert [m.to for m in mail.outbox] == [[other.email]]
    statuses = dict(Notification.objects.values_list("recipient_id", "status"))
    assert statuses == {trainee.pk: S.SKIPPED, other.pk: S.SENT}


def test_a_row_is_claimed_once(enrollment, today):
    dispatch_evening(at(today, 18))
    ids = list(Notification.objects.values_list("pk", flat=True))
    now = at(today, 18)
    _token, first = svc.claim(ids, now)
    _token, second = svc.claim(ids, now)
    assert len(first) == 1 and second == []


def test_a_dead_workers_rows_are_sent_later_but_never_the_one_it_was_sending(enrollment, today):
    dispatch_evening(at(today, 18))
    now = at(today, 18)
    svc.claim(list(Notification.objects.values_list("pk", flat=True)), now)  # then it died
    later = now + svc.CLAIM_TIMEOUT + timedelta(minutes=1)
    send_all(later)
    assert len(mail.outbox) == 1
    # A row a dead worker was in the middle of sending: interrupted, not sent again.
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(status=S.SENDING, claimed_at=now)
    assert svc.reap(later) == 1
    send_all(later)
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == S.INTERRUPTED


def test_the_next_morning_a_nudge_and_a_digest(
    enrollment, today, trainee, coordinator, staff, running
):
    tomorrow = today + timedelta(days=1)
    assert svc.dispatch(at(tomorrow, 8, 59)) >= 0
    assert not Notification.objects.filter(kind__startswith="reflection_").exists()
    svc.dispatch(at(tomorrow, 9, 1))
    kinds = dict(
        Notification.objects.values_list("recipient_id", "kind").filter(
            kind__in=["reflection_missing", "reflection_digest"]
        )
    )
    assert kinds[trainee.pk] == "reflection_missing"
    digests = set(
        Notification.objects.filter(kind="reflection_digest").values_list("recipient_id", flat=True)
    )
    assert digests == {coordinator.pk, staff.pk}  # the coordinator and the mentor
    send_all(at(tomorrow, 9, 1))
    digest = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert trainee.display_name in digest.body and running.title in digest.subject


def test_the_day_before_an_interview(enrollment, today, trainee, coordinator, running):
    schedule_interview(enrollment, coordinator, running.end_date, place="会議室A")
    start = at(running.end_date, 16)
    svc.dispatch(start - timedelta(hours=25))
    assert not Notification.objects.filter(kind="interview").exists()
    svc.dispatch(start - timedelta(hours=23))
    rows = Notification.objects.filter(kind="interview")
    assert set(rows.values_list("recipient_id", flat=True)) == {trainee.pk, coordinator.pk}
    send_all(start - timedelta(hours=23))
    bodies = [m.body for m in mail.outbox if "インタビュー" in m.subject]
    assert len(bodies) == 2 and all("会議室A" in b for b in bodies)


def test_a_survey_opening(trainee, host, today):
    from ..factories import ProgramFactory, enrol

    program = ProgramFactory(
        host=host, start_date=today + timedelta(days=5), end_date=today + timedelta(days=9)
    )
    enrollment = enrol(program, trainee)
    now = timezone.now()
    svc.dispatch(now)
    row = Notification.objects.get(kind="survey")
    assert row.key == f"survey-open:{enrollment.pk}:pre"
    send_all(now)
    assert "意識調査" in mail.outbox[0].subject


def test_the_servers_own_clock_zone_does_not_matter(enrollment, today):
    """Times are Japan time from the settings, whatever zone the server's clock is in."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    clock.tzset()
    try:
        assert evening(at(today, 17, 29)) == 0
        assert evening(at(today, 17, 31)) == 1
    finally:
        if previous is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = previous
        clock.tzset()


def test_the_settings_page(client, trainee, enrollment, running):
    from django.urls import reverse

    client.force_login(trainee)
    url = reverse("programs:reminder_settings")
    page = client.get(url).content.decode()
    assert "振り返り" in page
    client.post(url, {"on-interview": "1"})  # everything else off
    off = set(ReminderOptOut.objects.filter(user=trainee).values_list("kind", flat=True))
    assert "reflection" in off and "interview" not in off
    running.required_reminders = ["reflection"]
    running.save()
    client.post(url, {})
    assert not ReminderOptOut.objects.filter(user=trainee, kind="reflection").exists()
    assert "disabled" in client.get(url).content.decode()


def test_operators_see_the_rows_and_send_again_on_purpose(client, enrollment, today):
    from django.urls import reverse

    from programs.models import ActivityLog, User

    operator = User.objects.create_superuser(email="ops@example.org", password="x" * 12)
    dispatch_evening(at(today, 18))
    send_all(at(today, 18))
    row = Notification.objects.get()
    client.force_login(operator)
    url = reverse("admin:programs_notification_changelist")
    assert client.get(url + "?status__exact=sent&kind=reflection").status_code == 200
    response = client.post(url, {"action": "send_again", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == S.PENDING and row.error == "resent by an operator"
    assert ActivityLog.objects.filter(action="reminders.resent").exists()
    sent = len(mail.outbox)
    send_all(at(today, 18, 10))
    assert len(mail.outbox) == sent + 1  # once more, as asked


def test_the_coordinator_makes_a_reminder_required_in_the_program_form(
    client, coordinator, running
):
    from django.urls import reverse

    client.force_login(coordinator)
    page = client.get(reverse("programs:program_edit", args=[running.pk])).content.decode()
    assert 'name="required_reminders" value="reflection"' in page


def test_a_slow_worker_does_not_send_what_another_took_over(enrollment, today):
    dispatch_evening(at(today, 18))
    ids = list(Notification.objects.values_list("pk", flat=True))
    now = at(today, 18)
    token_a, rows_a = svc.claim(ids, now)  # worker A claims, then stalls
    later = now + svc.CLAIM_TIMEOUT + timedelta(minutes=1)
    svc.send_batch(ids, now=later)  # worker B takes over and sends
    assert len(mail.outbox) == 1
    from programs import registry

    result = svc.BatchResult()
    svc._send_chunk(rows_a, token_a, registry.reminders(), {}, "http://x/", None, result)
    assert len(mail.outbox) == 1 and result.sent == 0  # A wakes up: nothing of its own left


def test_a_message_that_cannot_be_built_fails_alone(enrollment, today, running, coordinator):
    """A line break in a program title would inject a header into the digest's subject:
    that message is refused and recorded; the other reminders of the batch go out."""
    running.title = "研修\r\nBcc: evil@example.org"
    running.save()
    tomorrow = today + timedelta(days=1)
    svc.dispatch(at(tomorrow, 9, 5))
    send_all(at(tomorrow, 9, 5))
    digest = Notification.objects.get(kind="reflection_digest", recipient=coordinator)
    assert digest.status == S.FAILED and "BadHeaderError" in digest.error
    nudge = Notification.objects.get(kind="reflection_missing")
    assert nudge.status == S.SENT
    assert not any("evil@example.org" in (m.to + m.bcc) for m in mail.outbox)


def test_a_reminder_held_up_past_the_deadline_is_not_sent(enrollment, today):
    dispatch_evening(at(today, 18))
    ids = list(Notification.objects.values_list("pk", flat=True))
    svc.send_batch(ids, now=at(today, 18))  # claims with the evening clock
    Notification.objects.update(status=S.PENDING)
    from unittest import mock

    tomorrow_morning = at(today + timedelta(days=1), 8)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow_morning):
        svc.send_batch(ids, now=tomorrow_morning)
    assert Notification.objects.get().error == "no longer due"


def test_required_reminders_bind_trainees_not_staff(enrollment, today, coordinator, running):
    running.required_reminders = ["reflection_digest"]
    running.save()
    ReminderOptOut.objects.create(user=coordinator, kind="reflection_digest")
    tomorrow = today + timedelta(days=1)
    svc.dispatch(at(tomorrow, 9, 5))
    send_all(at(tomorrow, 9, 5))
    digest = Notification.objects.get(kind="reflection_digest", recipient=coordinator)
    assert digest.status == S.SKIPPED and digest.error.startswith("turned off")


def test_no_interview_reminder_after_withdrawal(enrollment, today, coordinator, running):
    schedule_interview(enrollment, coordinator, running.end_date)
    start = at(running.end_date, 16)
    svc.dispatch(start - timedelta(hours=23))
    withdraw(enrollment, by=coordinator, reason="")
    send_all(start - timedelta(hours=23))
    assert not [m for m in mail.outbox if "インタビュー" in m.subject]


def test_replies_go_to_a_coordinator_of_the_host(enrollment, today, coordinator, running):
    running.created_by = coordinator
    running.save()
    dispatch_evening(at(today, 18))
    send_all(at(today, 18))
    assert mail.outbox[0].reply_to == [coordinator.email]
    assert mail.outbox[0].from_email  # DEFAULT_FROM_EMAIL


def test_each_person_sees_the_reminders_meant_for_them(client, trainee, coordinator):
    from django.urls import reverse

    client.force_login(trainee)
    page = client.get(reverse("programs:reminder_settings")).content.decode()
    assert "on-reflection" in page and "on-reflection_digest" not in page
    client.force_login(coordinator)
    page = client.get(reverse("programs:reminder_settings")).content.decode()
    assert "on-reflection_digest" in page and "on-interview" in page
    assert 'name="on-reflection"' not in page


def test_one_click_unsubscribe_from_the_email(client, enrollment, today, trainee, running):
    dispatch_evening(at(today, 18))
    send_all(at(today, 18))
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>").split("testserver")[-1]
    url = url[url.index("/reminders/off/") :]
    assert (
        "オフにしますか" in client.get(url).content.decode() or client.get(url).status_code == 200
    )
    # A mail provider's one-click POST: no session, no CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ReminderOptOut.objects.filter(user=trainee, kind="reflection").exists()
    assert client.get(url.replace("/off/", "/off/x")).status_code == 404
    # A reminder the program requires stays on.
    ReminderOptOut.objects.all().delete()
    running.required_reminders = ["reflection"]
    running.save()
    client.post(url)
    assert not ReminderOptOut.objects.exists()
