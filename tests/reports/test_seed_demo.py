"""The demo's finished documents: the finished program's report, each of its trainees'
研修報告書 and the host's fiscal-year summary exist, built, as soon as seed_demo has run, and a
second run builds nothing again."""

import pytest
from django.core.management import call_command

from programs.models import Program
from reports.models import Report, ReportKind, ReportState
from reports.wareki import wareki

from .world import pdf_text

pytestmark = pytest.mark.django_db

PAST = "ITベンチャー研修（前回・田川市）"


def test_the_demo_documents_are_built_once(settings, django_capture_on_commit_callbacks):
    settings.KENSHU_DEMO_DOCUMENTS = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    past = Program.objects.get(title=PAST)
    reports = list(Report.objects.order_by("pk"))
    kinds = sorted(r.kind for r in reports)
    trainees = past.enrollments.active().count()
    municipalities = past.enrollments.active().values("municipality").distinct().count()
    # The whole report, one for each municipality (its contact downloads it), each trainee's.
    assert kinds == sorted(
        [ReportKind.PROGRAM] * (1 + municipalities)
        + [ReportKind.FISCAL_YEAR]
        + [ReportKind.TRAINEE] * trainees
    )
    assert all(r.state == ReportState.DONE and r.size > 0 for r in reports)
    assert {r.municipality for r in reports if r.kind == ReportKind.PROGRAM} == {None} | {
        e.municipality for e in past.enrollments.active()
    }
    program_report = next(
        r for r in reports if r.kind == ReportKind.PROGRAM and r.municipality is None
    )
    assert program_report.program == past and program_report.municipality is None
    with program_report.file.open("rb") as handle:
        text = "".join(pdf_text(handle.read()).split())
    assert PAST in text and wareki(past.start_date) in text
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    assert list(Report.objects.order_by("pk").values_list("pk", "version")) == [
        (r.pk, r.version) for r in reports
    ]
