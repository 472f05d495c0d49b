"""A finished program to report on: two trainees from two municipalities (田川市, 北見市), a
week of activities, reflections (submitted, late, and a private draft), the survey before
and after, a trip with a filed 復命書, and an interview with one consented answer and one
refused. Shared by the document tests; built through the models, so it is fast."""

import io
from datetime import time, timedelta
from types import SimpleNamespace

from django.utils import timezone

from programs.models import Activity
from seminars.models import FollowUp, Seminar, SeminarRole, Trip, TripReport
from seminars.models.trip_reports import TripReportStatus
from trainees.models import (
    Answer,
    DailyReflection,
    Interview,
    InterviewQuestion,
    InterviewState,
    Phase,
    Question,
    QuestionKind,
    ReflectionStatus,
    SurveyResponse,
)
from trainees.services.surveys import survey_of

from ..factories import ProgramFactory, add_activity, enrol

SECRET_DRAFT = "まだ誰にも見せていない下書きの文"
KITAMI_SEMINAR = "北見の企業向け個別相談会"
FOLLOW_UP = "参加企業へ事例集を送る"
REFUSED_ANSWER = "掲載しないでほしい本音の回答"
CONSENTED_ANSWER = "場所に縛られない働き方を役所でも試したい"


def build(host, coordinator, trainee, other_trainee) -> SimpleNamespace:
    program = ProgramFactory(
        host=host,
        title="ITベンチャー研修（田川市・北見市）",
        municipality_aims=["クラウドソーシングを行政サービスに生かす"],
        host_aims=["地域で仕事の機会を広げる"],
        created_by=coordinator,
    )
    first = enrol(program, trainee)
    second = enrol(program, other_trainee)
    for offset, title in enumerate(
        ["オリエンテーション", "出張", "出張", "記事の執筆", "振り返り"]
    ):
        add_activity(program, program.start_date + timedelta(days=offset), "09:30", "12:00", title)
    now = timezone.now()

    def reflect(enrollment, offset, status=ReflectionStatus.SUBMITTED, **text):
        return DailyReflection.objects.create(
            enrollment=enrollment,
            date=program.start_date + timedelta(days=offset),
            status=status,
            submitted_at=None if status == ReflectionStatus.DRAFT else now,
            self_rating=4,
            **{"did": "サービスの体験", "learned": "仕事を切り出す", **text},
        )

    reflect(first, 0, felt="意思決定の速さに驚いた")
    reflect(first, 1, learned="現場の声を聞く大切さ", late=True)
    reflect(first, 2, ReflectionStatus.DRAFT, felt=SECRET_DRAFT)

    survey = survey_of(program)
    likert = Question.objects.filter(
        question_set=survey.question_set, kind=QuestionKind.LIKERT
    ).order_by("order")[:2]
    for phase, values in ((Phase.PRE, (2, 3)), (Phase.POST, (4, 3))):
        response = SurveyResponse.objects.create(
            enrollment=first, phase=phase, question_set=survey.question_set, submitted_at=now
        )
        for question, value in zip(likert, values, strict=True):
            Answer.objects.create(response=response, question=question, value=value)

    trip = Trip.objects.create(
        program=program,
        purpose="地域企業向けセミナーの開催",
        start_date=program.start_date + timedelta(days=1),
        end_date=program.start_date + timedelta(days=2),
        created_by=coordinator,
    )
    trip.trainees.add(first, second)
    seminar = Seminar.objects.create(
        program=program,
        trip=trip,
        kind="business_seminar",
        title="仕事を切り出して地域で頼む",
        venue="松本商工会議所",
        partner="松本商工会議所青年部",
        date=trip.start_date,
        start_time=time(13, 30),
        end_time=time(15, 0),
        expected_attendance=30,
        actual_attendance=26,
        outcomes="参加企業26社。業務の切り出し方への質問が多かった。",
    )
    SeminarRole.objects.create(seminar=seminar, enrollment=first, role="presenter")
    FollowUp.objects.create(
        seminar=seminar, action=FOLLOW_UP, owner=coordinator, due_date=trip.end_date
    )
    # Only the second trainee (北見市) takes part in this one, and has an interview slot.
    alone = Seminar.objects.create(
        program=program,
        trip=trip,
        kind="workshop",
        title=KITAMI_SEMINAR,
        date=trip.end_date,
        start_time=time(10, 0),
        end_time=time(11, 0),
        expected_attendance=5,
    )
    SeminarRole.objects.create(seminar=alone, enrollment=second, role="observer")
    add_activity(
        program,
        program.end_date,
        "14:00",
        "15:00",
        f"インタビュー: {second.trainee.display_name}",
        participants=[second],
        kind="interview",
    )
    TripReport.objects.create(
        trip=trip,
        enrollment=first,
        content="企業向けセミナーで事例を説明した。",
        impressions="地域の企業の関心の高さを感じた。",
        application="庁内の業務の切り出しを提案する。",
        status=TripReportStatus.SUBMITTED,
        submitted_at=now,
    )
    slot = Activity.objects.filter(program=program).order_by("-date").first()
    interview = Interview.objects.create(
        enrollment=first, activity=slot, state=InterviewState.REVIEWED
    )
    InterviewQuestion.objects.create(
        interview=interview,
        order=1,
        text="何が変わりましたか",
        answer=CONSENTED_ANSWER,
        consent=True,
    )
    InterviewQuestion.objects.create(
        interview=interview, order=2, text="本音は", answer=REFUSED_ANSWER, consent=False
    )
    return SimpleNamespace(program=program, first=first, second=second, trip=trip, seminar=seminar)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Every font the PDF uses: its name and whether its file is embedded."""
    from pypdf import PdfReader

    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts
