"""A small 年度 of the scheme for the office's tests, built from today through the models:

- はたらくラボ (host): a finished program, 田川市's and 北見市's trainees. Reflections: the
  first trainee 3 submitted of 5 days (and a private draft), the second 1 → 4 of 10 (40%).
  Survey: the first 2→4 and 3→3, the second 3→2 → changes +2, 0, −1 → +0.33. Its whole
  report is built (shared with the office); so are a 研修報告書 and 田川市's report (not).
- ノースベンチャーズ (other host): a finished program, 松本市's trainee with 5 of 5 (100%),
  no survey; and a draft program that a confirmed match made for 箕輪町.
- はたらくラボ's own training outside the scheme (scheme "other"), with its built report.
- The call of the year: one offer (3 places × 2 weeks), two applications (staff 2 and 1),
  one confirmed match (staff 2)."""

from datetime import timedelta
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from programs.models import Scheme, Status
from reports.models import Report, ReportKind, ReportState, program_scope
from scheme.models import Match
from trainees.models import (
    Answer,
    DailyReflection,
    Phase,
    Question,
    QuestionKind,
    ReflectionStatus,
    SurveyResponse,
)
from trainees.services.surveys import survey_of

from ..factories import MunicipalityFactory, ProgramFactory, add_activity, enrol, trainee_of
from ..scheme.factories import make_application, make_call, make_offer, office_member

PDF = b"%PDF-1.7\n% a stored document\n"
SECRET_DRAFT = "まだ誰にも見せていない下書き"


def finished_program(host, title, start, **fields):
    program = ProgramFactory(
        host=host, title=title, start_date=start, end_date=start + timedelta(days=4), **fields
    )
    for offset in range(5):
        add_activity(program, start + timedelta(days=offset), "10:00", "12:00")
    return program


def reflect(enrollment, days, status=ReflectionStatus.SUBMITTED, **text):
    now = timezone.now()
    for offset in days:
        DailyReflection.objects.create(
            enrollment=enrollment,
            date=enrollment.program.start_date + timedelta(days=offset),
            status=status,
            submitted_at=None if status == ReflectionStatus.DRAFT else now,
            self_rating=4,
            did="サービスの体験",
            **text,
        )


def answer(enrollment, phase, values):
    survey = survey_of(enrollment.program)
    likert = Question.objects.filter(
        question_set=survey.question_set, kind=QuestionKind.LIKERT
    ).order_by("order")
    response = SurveyResponse.objects.create(
        enrollment=enrollment,
        phase=phase,
        question_set=survey.question_set,
        submitted_at=timezone.now(),
    )
    for question, value in zip(likert, values, strict=False):
        Answer.objects.create(response=response, question=question, value=value)


def stored(kind, program, **fields) -> Report:
    """A built document without drawing it (the drawing has its own tests)."""
    enrollment = fields.get("enrollment")
    report = Report(
        kind=kind,
        scope=f"enrollment:{enrollment.pk}"
        if enrollment
        else program_scope(program, fields.get("municipality")),
        program=program,
        fiscal_year=program.fiscal_year,
        content_hash="x",
        filename=f"{kind}.pdf",
        state=ReportState.DONE,
        size=len(PDF),
        **fields,
    )
    report.file.save("report.pdf", ContentFile(PDF), save=False)
    report.save()
    return report


def build(host, other_host, coordinator, trainee, other_trainee, today) -> SimpleNamespace:
    start = today - timedelta(days=14)
    ours = finished_program(host, "ITベンチャー研修（田川市・北見市）", start)
    theirs = finished_program(other_host, "地域DX研修（松本市）", start)
    outside = finished_program(host, "社内向けの研修（対象外）", start, scheme=Scheme.OTHER)
    draft = ProgramFactory(
        host=other_host,
        title="マッチングで決まった研修",
        start_date=start,
        status=Status.DRAFT,
    )
    # A host's own draft of the scheme, made by no match: it stays with the host.
    hosts_draft = ProgramFactory(
        host=host, title="受入企業の下書き（直接募集）", start_date=start, status=Status.DRAFT
    )
    first, second = enrol(ours, trainee), enrol(ours, other_trainee)
    matsumoto = MunicipalityFactory(code="202029", name="松本市", prefecture=20)
    third = enrol(theirs, trainee_of(matsumoto, "matsumoto@example.org"))
    reflect(first, [0, 1, 2])
    reflect(first, [3], ReflectionStatus.DRAFT, felt=SECRET_DRAFT)
    reflect(second, [0])
    reflect(third, range(5))
    answer(first, Phase.PRE, [2, 3])
    answer(first, Phase.POST, [4, 3])
    answer(second, Phase.PRE, [3])
    answer(second, Phase.POST, [2])

    office = office_member()
    call = make_call(today, open_now=False, fiscal_year=ours.fiscal_year)
    offer = make_offer(call, other_host, call.weeks()[:2], places=3)
    minowa = MunicipalityFactory(code="203831", name="箕輪町", prefecture=20)
    applied = make_application(call, minowa, hosts=[other_host], staff=2)
    make_application(call, trainee.trainee_profile.municipality, hosts=[host], staff=1)
    Match.objects.create(
        call=call,
        application=applied,
        offer=offer,
        host=other_host,
        start_week=call.first_week,
        weeks=1,
        staff=2,
        program=draft,
        confirmed_by=office,
        confirmed_at=timezone.now(),
    )
    return SimpleNamespace(
        office=office,
        year=ours.fiscal_year,
        ours=ours,
        theirs=theirs,
        outside=outside,
        draft=draft,
        hosts_draft=hosts_draft,
        first=first,
        not_shared=stored(ReportKind.PROGRAM, ours),
        shared=stored(ReportKind.PROGRAM, ours, version=2, shared_with_office_at=timezone.now()),
        for_tagawa=stored(ReportKind.PROGRAM, ours, municipality=first.municipality),
        training_report=stored(ReportKind.TRAINEE, ours, enrollment=first),
        outside_report=stored(ReportKind.PROGRAM, outside),
    )
