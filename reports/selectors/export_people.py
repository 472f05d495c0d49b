"""The exports of the people in the programs: the programs themselves, their trainees'
enrolments and the trainees' daily reflections (reports.selectors.exports)."""

from datetime import date

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from config.translated import choice_labels
from programs.calendar_days import days_off_by_program
from programs.models import Enrollment, Program, Status
from programs.prefectures import Prefecture
from seminars.models import Seminar
from trainees.models import SECTION_NAMES, DailyReflection, ReflectionStatus
from trainees.services.reflections import activity_dates_by_program, reflection_days

from .export_scope import (
    CHUNK,
    Scope,
    chunks,
    count_of,
    display_name,
    iso_day,
    local_moment,
)


def program_header() -> list[str]:
    return [
        _("Fiscal year"),
        _("Host company"),
        _("Title"),
        capfirst(_("start date")),
        capfirst(_("end date")),
        _("Status"),
        _("Active trainees"),
        capfirst(_("municipalities")),
        _("Seminars"),
        _("Submitted reflections"),
    ]


def program_rows(scope: Scope):
    """One row per program. Counts as the person sees them: a supervisor counts their own
    municipality's trainees, the seminars these take part in and their submitted reflections."""
    user = scope.user
    enrollments = Enrollment.objects.visible_to(user).active()
    programs = (
        scope.programs.with_effective_status(timezone.localdate())
        .annotate(
            active_trainees=count_of(enrollments, "program"),
            seminar_count=count_of(Seminar.objects.visible_to(user), "program"),
            submitted_reflections=count_of(
                DailyReflection.objects.visible_to(user).submitted(), "enrollment__program"
            ),
        )
        .order_by("start_date", "title", "pk")
        .values(
            "pk",
            "fiscal_year",
            "host__name",
            "title",
            "start_date",
            "end_date",
            "effective_status",
            "active_trainees",
            "seminar_count",
            "submitted_reflections",
        )
    )
    statuses = choice_labels(Status)
    return _program_lines(programs, enrollments, statuses)


def _program_lines(programs, enrollments, statuses):
    for chunk in chunks(programs.iterator(chunk_size=CHUNK)):
        names: dict[int, list[str]] = {}
        for program_id, name in (
            enrollments.filter(program__in=[p["pk"] for p in chunk])
            .order_by("program", "municipality__code")
            .values_list("program", "municipality__name")
            .distinct()
        ):
            names.setdefault(program_id, []).append(name)
        for p in chunk:
            yield [
                p["fiscal_year"],
                p["host__name"],
                p["title"],
                iso_day(p["start_date"]),
                iso_day(p["end_date"]),
                statuses.get(p["effective_status"], p["effective_status"]),
                p["active_trainees"],
                "、".join(names.get(p["pk"], [])),
                p["seminar_count"],
                p["submitted_reflections"],
            ]


# 2. Enrolments -------------------------------------------------------------------------------


def enrollment_header() -> list[str]:
    return [
        _("Program"),
        _("Trainee"),
        capfirst(_("family name (kana)")),
        capfirst(_("given name (kana)")),
        _("Municipality"),
        capfirst(_("prefecture")),
        _("Department"),
        _("Position"),
        _("Mentor"),
        _("Status"),
        _("Enrolled at"),
    ]


def _enrolments(scope: Scope):
    """The enrolments the person may see in the year's programs, by program, then trainee."""
    return (
        Enrollment.objects.visible_to(scope.user)
        .filter(program__in=scope.programs)
        .order_by(
            "program__start_date",
            "program__title",
            "program",
            "trainee__family_name_kana",
            "trainee__given_name_kana",
            "trainee__email",
            "pk",
        )
    )


def enrollment_rows(scope: Scope):
    """Every enrolment the person may see in the year's programs: the host's people all of
    their programs', a supervisor their own municipality's trainees' (withdrawn ones too)."""
    rows = _enrolments(scope).values(
        "program__title",
        "trainee__family_name",
        "trainee__given_name",
        "trainee__email",
        "trainee__family_name_kana",
        "trainee__given_name_kana",
        "municipality__name",
        "municipality__prefecture",
        "department",
        "position",
        "mentor__family_name",
        "mentor__given_name",
        "mentor__email",
        "withdrawn_at",
        "created_at",
    )
    prefectures = choice_labels(Prefecture)
    active, withdrawn = _("Enrolled"), _("Withdrawn")
    return (
        [
            e["program__title"],
            display_name(e["trainee__family_name"], e["trainee__given_name"], e["trainee__email"]),
            e["trainee__family_name_kana"],
            e["trainee__given_name_kana"],
            e["municipality__name"],
            prefectures.get(e["municipality__prefecture"], ""),
            e["department"],
            e["position"],
            display_name(e["mentor__family_name"], e["mentor__given_name"], e["mentor__email"]),
            withdrawn if e["withdrawn_at"] else active,
            local_moment(e["created_at"]),
        ]
        for e in rows.iterator(chunk_size=CHUNK)
    )


# 3. Daily reflections ------------------------------------------------------------------------


def reflection_header() -> list[str]:
    return [
        _("Date"),
        _("Program"),
        _("Trainee"),
        _("Municipality"),
        _("State"),
        capfirst(_("late")),
        _("Self-rating"),
        _("What I did today"),
        _("What I learned"),
        _("What I felt or found surprising"),
        _("Questions and worries"),
        _("Tomorrow's goal"),
    ]


def reflection_rows(scope: Scope):
    """One row per enrolment and reflection day. The text only of submitted reflections the
    person may read; a draft stays with its author: the host's people see that one was
    started (its state, as on their matrix), a supervisor sees "not submitted"."""
    user = scope.user
    enrollments = _enrolments(scope).values(
        "pk",
        "program_id",
        "program__title",
        "program__host_id",
        "program__start_date",
        "program__end_date",
        "trainee__family_name",
        "trainee__given_name",
        "trainee__email",
        "municipality__name",
    )
    # Text from `visible_to` (never a draft but one's own); the state of drafts from
    # `states_visible_to` (the host's people only).
    readable = DailyReflection.objects.visible_to(user) | DailyReflection.objects.states_visible_to(
        user
    )
    states = {
        "": _("Not submitted yet"),
        **choice_labels(ReflectionStatus),
    }
    late = capfirst(_("late"))
    return _reflection_lines(enrollments, readable, states, late)


def _reflection_lines(enrollments, readable, states, late_label):
    for chunk in chunks(enrollments.iterator(chunk_size=CHUNK)):
        activity_dates = activity_dates_by_program({e["program_id"] for e in chunk})
        programs = {
            e["program_id"]: Program(
                pk=e["program_id"],
                host_id=e["program__host_id"],
                start_date=e["program__start_date"],
                end_date=e["program__end_date"],
            )
            for e in chunk
        }
        days_off = days_off_by_program(programs.values())
        written: dict[int, dict[date, dict]] = {}
        for r in (
            readable.filter(enrollment__in=[e["pk"] for e in chunk])
            .order_by()
            .values("enrollment_id", "date", "status", "late", "self_rating", *SECTION_NAMES)
        ):
            written.setdefault(r["enrollment_id"], {})[r["date"]] = r
        days_of: dict[int, list[date]] = {}
        for e in chunk:
            program_id = e["program_id"]
            if program_id not in days_of:
                days_of[program_id] = reflection_days(
                    programs[program_id],
                    activity_dates.get(program_id, set()),
                    days_off.get(program_id, {}),
                )
            mine = written.get(e["pk"], {})
            # A day that has a reflection stays in the file even if its activity moved.
            days = sorted(set(days_of[program_id]) | set(mine))
            trainee = display_name(
                e["trainee__family_name"], e["trainee__given_name"], e["trainee__email"]
            )
            for day in days:
                r = mine.get(day)
                shown = r is not None and r["status"] != ReflectionStatus.DRAFT
                yield [
                    iso_day(day),
                    e["program__title"],
                    trainee,
                    e["municipality__name"],
                    states[r["status"] if r else ""],
                    late_label if shown and r["late"] else "",
                    (r["self_rating"] or "") if shown else "",
                    *((r[name] if shown else "") for name in SECTION_NAMES),
                ]
