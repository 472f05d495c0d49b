"""The fiscal-year summary: the programs held in a fiscal year (年度), their trainees per
municipality and per prefecture, their seminars and the mean survey change per question,
gathered in a fixed number of queries whatever the number of programs."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import translation

from programs.calendar_days import training_days_by_program
from programs.models import Enrollment, HostCompany, Program, Scheme, Status
from programs.prefectures import Prefecture
from seminars.models import Seminar, TripStatus
from trainees.services import surveys

from .. import charts
from ..access import office_programs
from ..wareki import fiscal_year_label


def fiscal_year_context(year: int, host: HostCompany | None = None) -> dict:
    """Programs held in the fiscal year (published or later), trainees per municipality and
    per prefecture, seminars and their attendance, and the mean survey change per question.
    `host` None: across every host, the scheme's programs only (the scheme's 年度 report, for
    the office and operators: reports.selectors.office_year adds its figures per host)."""
    programs = _programs(year, host)
    # 研修日数: the programs' training days (programs.calendar_days), as reflections count them.
    days = training_days_by_program(programs)
    for program in programs:
        program.training_day_count = len(days.get(program.pk, []))
    enrollments = list(
        Enrollment.objects.active()
        .filter(program__in=programs)
        .select_related("municipality")
        .order_by()
    )
    municipality_rows, prefecture_rows = _trainees_by_place(enrollments)
    seminars = _seminars(programs)
    questions = survey_change(programs)
    return {
        "year": year,
        "year_label": fiscal_year_label(year),
        "host": host,
        "programs": programs,
        "trainee_total": len(enrollments),
        "training_day_total": sum(p.training_day_count for p in programs),
        "municipality_rows": municipality_rows,
        "prefecture_rows": prefecture_rows,
        "prefecture_chart": charts.bars(
            [(row["name"], row["count"]) for row in prefecture_rows],
            unit="名",
            title="都道府県別の研修生数",
        ),
        "seminars": seminars,
        # Actual against expected over the seminars whose attendance was recorded.
        "recorded": sum(s.actual_attendance is not None for s in seminars),
        "attendance_total": sum(s.actual_attendance or 0 for s in seminars),
        "expected_total": sum(
            s.expected_attendance for s in seminars if s.actual_attendance is not None
        ),
        "questions": questions,
        "change_chart": charts.diverging(
            [(q["label"], q["change"]) for q in questions if q["change"] is not None],
            title="意識調査：質問ごとの平均変化（研修前→研修後）",
        ),
        "title": "年度研修実績",
        "author": host.name if host else "全受入企業",
    }


def summary_years(user, hosts, year: int, this_year: int) -> list[int]:
    """The years to choose from, newest first: those of the hosts' programs the person sees
    (and of the scheme's programs for the office), the one asked for and this one."""
    seen = Program.objects.visible_to(user).filter(host__in=hosts) | office_programs(user)
    return sorted(
        set(seen.values_list("fiscal_year", flat=True).distinct()) | {year, this_year},
        reverse=True,
    )


def _programs(year: int, host: HostCompany | None) -> list[Program]:
    """The year's programs, published or later, each with its number of active trainees;
    across hosts (the scheme's 年度 report), the scheme's programs only."""
    programs = (
        Program.objects.filter(fiscal_year=year)
        .exclude(status=Status.DRAFT)
        .select_related("host")
        .annotate(
            trainee_count=Count(
                "enrollments", filter=Q(enrollments__withdrawn_at__isnull=True), distinct=True
            )
        )
        .order_by("start_date", "pk")
    )
    if host is not None:
        programs = programs.filter(host=host)
    else:
        programs = programs.filter(scheme=Scheme.IT_VENTURE)
    return list(programs)


def _trainees_by_place(enrollments) -> tuple[list[dict], list[dict]]:
    """The rows of trainees per municipality and per prefecture, most trainees first."""
    per_municipality = defaultdict(int)
    per_prefecture = defaultdict(int)
    labels = dict(Prefecture.choices)
    municipalities = {}
    for enrollment in enrollments:
        municipalities[enrollment.municipality_id] = enrollment.municipality
        per_municipality[enrollment.municipality_id] += 1
        per_prefecture[enrollment.municipality.prefecture] += 1
    municipality_rows = sorted(
        (
            {
                "name": municipalities[pk].name,
                "prefecture": labels.get(municipalities[pk].prefecture, ""),
                "count": count,
            }
            for pk, count in per_municipality.items()
        ),
        key=lambda row: (-row["count"], row["prefecture"], row["name"]),
    )
    # Most trainees first; equal counts in the usual order of prefectures (北海道 to 沖縄).
    prefecture_rows = [
        {"name": labels.get(p, ""), "count": c}
        for p, c in sorted(per_prefecture.items(), key=lambda item: (-item[1], item[0]))
    ]
    return municipality_rows, prefecture_rows


def _seminars(programs) -> list[Seminar]:
    """The programs' seminars (but those of cancelled trips), each with the number of
    trainees taking part."""
    return list(
        Seminar.objects.filter(program__in=programs)
        .exclude(trip__status=TripStatus.CANCELLED)
        .select_related("program")
        .annotate(taking_part=Count("roles", distinct=True))
        .order_by("date", "start_time", "pk")
    )


def survey_pairs(programs) -> tuple[list[tuple], dict]:
    """Every (program, question, before, after) of an agreement question answered before
    and after by an active trainee of these programs, and each question's (order, label).
    One query for the answers, whatever the number of programs."""
    from trainees.models import Answer, QuestionKind

    rows = Answer.objects.filter(
        response__enrollment__program__in=programs,
        response__enrollment__withdrawn_at__isnull=True,
        response__phase__in=[surveys.Phase.PRE, surveys.Phase.POST],
        question__kind=QuestionKind.LIKERT,
        value__isnull=False,
    ).values_list(
        "response__enrollment__program_id",
        "response__enrollment_id",
        "response__phase",
        "question_id",
        "question__text",
        "question__text_en",
        "question__order",
        "value",
    )
    values = {}
    texts = {}
    program_of = {}
    for program_id, enrollment_id, phase, question_id, text, text_en, order, value in rows:
        values[enrollment_id, question_id, phase] = value
        program_of[enrollment_id] = program_id
        texts[question_id] = (
            order,
            text if translation.get_language() == "ja" else text_en or text,
        )
    pairs = [
        (program_of[e], q, values[e, q, surveys.Phase.PRE], value)
        for (e, q, phase), value in values.items()
        if phase == surveys.Phase.POST and (e, q, surveys.Phase.PRE) in values
    ]
    return pairs, texts


def survey_change(programs) -> list[dict]:
    """Per agreement question, over every trainee of these programs who answered it before
    and after: the mean change and the number of those trainees."""
    pairs, texts = survey_pairs(programs)
    out = []
    for question_id, (_order, label) in sorted(texts.items(), key=lambda item: item[1]):
        mine = [after - before for _p, q, before, after in pairs if q == question_id]
        change = mean_change(mine)
        out.append(
            {
                "label": label,
                "change": change,
                "change_text": change_text(change),
                "pairs": len(mine),
            }
        )
    return out


def mean_change(changes: list[int]) -> float | None:
    return sum(changes) / len(changes) if changes else None


def change_text(change: float | None) -> str:
    """+0.50, -1.00; — without answers before and after."""
    return f"{change:+.2f}" if change is not None else "—"
