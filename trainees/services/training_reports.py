"""The trainee's 研修報告書: open after the program's last day, its first draft made from the
trainee's own submitted reflections and 復命書, saved as they type (a save repeated or
delivered late is applied once; a draft replaced by another device is kept), submitted once
(then it no longer changes: the PDF prints it and the municipality confirms it), and
confirmed (確認) by a contact of the trainee's municipality."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import access, registry
from programs.date_range import add_days
from programs.models import Enrollment
from programs.plain_text import plain_text_error
from programs.refusals import Refused
from programs.services.activity_log import record_activity

from ..models import (
    REPORT_FIELDS,
    REPORT_TEXT_LIMIT,
    DailyReflection,
    ReflectionStatus,
    TrainingReport,
    TrainingReportDraft,
    TrainingReportStatus,
)
from .reflections import day_label


class TrainingReportRefused(Refused):
    """`errors` holds a message per field when the input was at fault."""


def opens_on(enrollment: Enrollment) -> date:
    """The day the trainee can write it: the day after the program's last day."""
    return add_days(enrollment.program.end_date, 1)


def is_open(enrollment: Enrollment, today: date) -> bool:
    return today >= opens_on(enrollment)


def _paragraphs(parts: list[str]) -> str:
    """Paragraphs joined while they fit the limit: a draft never starts over it."""
    text = ""
    for part in parts:
        joined = f"{text}\n\n{part}" if text else part
        if len(joined) > REPORT_TEXT_LIMIT:
            break
        text = joined
    return text


def first_draft(enrollment: Enrollment) -> dict:
    """The text the page starts from before the trainee's first save: their own submitted
    reflections (学んだこと, 感じたこと) and their filed 復命書 (所感, 活用), nobody else's,
    never a draft's."""
    impressions, application = [], []
    reflections = (
        DailyReflection.objects.filter(enrollment=enrollment)
        .exclude(status=ReflectionStatus.DRAFT)
        .order_by("date")
        .values_list("date", "learned", "felt")
    )
    for day, learned, felt in reflections:
        text = "\n".join(part.strip() for part in (learned, felt) if part.strip())
        if text:
            impressions.append(f"【{day_label(day)}】\n{text}")
    for writing in registry.own_writing(enrollment):
        if writing.impressions.strip():
            impressions.append(f"【{writing.title}】\n{writing.impressions.strip()}")
        if writing.application.strip():
            application.append(writing.application.strip())
    return {"impressions": _paragraphs(impressions), "application": _paragraphs(application)}


def clean_text(data) -> tuple[dict, dict]:
    """The two parts as typed (surrounding blank lines aside), and any errors by field."""
    content, errors = {}, {}
    for name in REPORT_FIELDS:
        raw = (data.get(name) or "").replace("\r\n", "\n")
        text = raw.strip()
        if unusable := plain_text_error(raw, multiline=True):
            errors[name] = unusable
        elif len(text) > REPORT_TEXT_LIMIT:
            errors[name] = _(
                "At most %(limit)s characters (now %(count)s). Shorten it to save; your text "
                "is kept on this page."
            ) % {"limit": REPORT_TEXT_LIMIT, "count": len(text)}
        content[name] = text
    return content, errors


@dataclass
class SavedReport:
    report: TrainingReport
    applied: bool  # False when nothing changed (a repeated save, a double submit)


def _check_writable(enrollment: Enrollment, today: date) -> None:
    if not is_open(enrollment, today):
        raise TrainingReportRefused(
            _("You can write your training report from %(day)s.")
            % {"day": day_label(opens_on(enrollment))},
            "not_open",
        )
    if not enrollment.is_active:
        raise TrainingReportRefused(_("You have withdrawn from this program."), "withdrawn")


def _locked_report(enrollment: Enrollment) -> TrainingReport:
    """The enrolment's report, locked for this transaction; created (empty) if missing."""
    row = (
        TrainingReport.objects.select_for_update(of=("self",))
        .filter(enrollment=enrollment)
        .order_by()
        .first()
    )
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return TrainingReport.objects.create(enrollment=enrollment)
    except IntegrityError:
        return TrainingReport.objects.select_for_update().get(enrollment=enrollment)


def save_draft(
    enrollment: Enrollment,
    data,
    *,
    by,
    today: date,
    client_id: str = "",
    client_seq: int = 0,
    base_revision: int | None = None,
) -> SavedReport:
    """Keep what the trainee typed. The same page's repeated or older save changes nothing;
    a save from another device, based on a revision it had not seen, keeps the draft it
    replaces (TrainingReportDraft). A submitted report no longer changes."""
    if by.pk != enrollment.trainee_id:
        raise TrainingReportRefused(
            _("Only the trainee writes their training report."), "forbidden"
        )
    _check_writable(enrollment, today)
    content, errors = clean_text(data)
    if errors:
        raise TrainingReportRefused(_("Some fields need attention."), "invalid", errors)
    with transaction.atomic():
        row = _locked_report(enrollment)
        if row.is_submitted:
            raise TrainingReportRefused(
                _("This training report has been submitted and no longer changes."), "locked"
            )
        if row.is_repeat(client_id, client_seq):
            return SavedReport(row, applied=False)
        changed = row.content() != content
        if changed and row.replaces_unseen(client_id, base_revision, any(row.content().values())):
            TrainingReportDraft.objects.create(
                report=row, revision=row.revision, content=row.content()
            )
        for name, value in content.items():
            setattr(row, name, value)
        row.saved_by(client_id, client_seq, changed=changed)
        row.save()
    return SavedReport(row, applied=True)


def submit(enrollment: Enrollment, data, *, by, now, **markers) -> SavedReport:
    """Save and submit: both parts are required. A second submit changes nothing."""
    content, errors = clean_text(data)
    for name in REPORT_FIELDS:
        if not content[name] and name not in errors:
            errors[name] = _("Write this part before submitting.")
    existing = TrainingReport.objects.filter(enrollment=enrollment).first()
    if existing is not None and existing.is_submitted:
        return SavedReport(existing, applied=False)
    if errors:
        raise TrainingReportRefused(_("Some fields need attention."), "invalid", errors)
    with transaction.atomic():
        saved = save_draft(enrollment, data, by=by, today=timezone.localdate(now), **markers)
        row = TrainingReport.objects.select_for_update().get(pk=saved.report.pk)
        row.status = TrainingReportStatus.SUBMITTED
        row.submitted_at = now
        row.save(update_fields=["status", "submitted_at", "updated_at"])
        record_activity(
            by,
            "training_report.submitted",
            row,
            host_company=enrollment.program.host,
            municipality=enrollment.municipality,
        )
    return SavedReport(row, applied=True)


def may_confirm(user, report: TrainingReport) -> bool:
    """A contact (supervisor) of the trainee's municipality; nobody else, the host's
    people included."""
    return access.supervises(user, report.enrollment.municipality_id)


def confirm(report: TrainingReport, *, by, now) -> TrainingReport:
    """The municipality's contact confirms a submitted report: who and when are kept. A
    second confirmation changes nothing."""
    if not may_confirm(by, report):
        raise TrainingReportRefused(
            _("Only a contact of the trainee's municipality confirms this report."), "forbidden"
        )
    with transaction.atomic():
        row = TrainingReport.objects.select_for_update().get(pk=report.pk)
        if not row.is_submitted:
            raise TrainingReportRefused(_("Only a submitted report can be confirmed."), "draft")
        if row.municipality_confirmed_at is not None:
            return row
        row.confirm_now(by=by, now=now)
        record_activity(
            by,
            "training_report.confirmed",
            row,
            host_company=report.enrollment.program.host,
            municipality=report.enrollment.municipality,
        )
    return row
