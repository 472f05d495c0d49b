"""What this app tells the core through `programs.registry`: what waits for a trainee today,
and the links a program's page shows (reflections, survey results)."""

from datetime import date, datetime, timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import access
from programs import cache as kenshu_cache
from programs.calendar_days import days_off_by_program
from programs.compiled import CompiledQuery
from programs.date_range import add_days
from programs.formats import show
from programs.models import Enrollment, Status
from programs.registry import DueItem, NavLink, ProgramSection

from .models import (
    DailyReflection,
    Interview,
    InterviewState,
    Phase,
    ProgramSurvey,
    ReflectionComment,
    ReflectionStatus,
    SurveyResponse,
    TrainingReport,
    TrainingReportStatus,
)
from .services.reflections import (
    activity_dates_by_program,
    day_label,
    deadline_of,
    reflection_days,
)
from .services.surveys import first_starts, windows

NAV = (
    NavLink(
        gettext_lazy("New reflections"), "trainees:reflection_inbox", roles=("host",), order=20
    ),
    NavLink(gettext_lazy("Reflections"), "trainees:my_reflections", roles=("trainee",), order=70),
    NavLink(
        gettext_lazy("Reflections"),
        "trainees:supervisor_reflections",
        roles=("supervisor",),
        order=90,
    ),
)

LOOK_BACK_DAYS = 7  # missing reflections of programs that ended within a week still show


def _reflection_url(enrollment_pk: int, day: date) -> str:
    return reverse("trainees:reflection_write", args=[enrollment_pk, day])


def _trainee_enrollments(user, now: datetime, *, fresh: bool = False) -> list:
    """The trainee's enrolments the four providers below read (published programs, ended
    at most 120 days ago), or [] for anyone who is not a trainee. The registry asks the four
    one after another with the same `now`: the first reads them (`fresh`) and keeps them on
    the user object for that `now`, the others use them, so the list costs one query."""
    if not user.is_authenticated or not access.roles_of(user)["trainee"]:
        return []
    kept = getattr(user, "_kenshu_due_enrollments", None)
    if not fresh and kept is not None and kept[0] is now:
        return kept[1]
    today = timezone.localdate(now)
    enrollments = list(
        Enrollment.objects.active()
        .filter(trainee=user, program__end_date__gte=today - timedelta(days=120))
        .exclude(program__status=Status.DRAFT)
        .select_related("program")
    )
    user._kenshu_due_enrollments = (now, enrollments)
    return enrollments


def _day_item(enrollment, day, status, *, today, now, several: bool) -> DueItem | None:
    """A day's reflection: done today, or still to write (late after its deadline)."""
    program = enrollment.program
    if status in (ReflectionStatus.SUBMITTED, ReflectionStatus.REVIEWED):
        if day != today:
            return None
        return DueItem(
            "reflection",
            _("Today's reflection"),
            _reflection_url(enrollment.pk, day),
            state="done",
            detail=_("Submitted. You can still change it until it is reviewed."),
            order=10,
            offline=True,
        )
    deadline = deadline_of(program, day)
    late = deadline < now
    return DueItem(
        "reflection",
        _("Today's reflection")
        if day == today
        else _("Reflection for %(day)s") % {"day": day_label(day)},
        _reflection_url(enrollment.pk, day),
        state="late" if late else "due",
        deadline=deadline,
        detail=(_("Draft saved") if status == ReflectionStatus.DRAFT else "")
        + (f" · {program.title}" if several else ""),
        order=10 if day == today else 20,
        offline=True,
    )


def due_reflections(user, now: datetime) -> list[DueItem]:
    """Each reflection day so far of a program running or ended within the week: today's
    (done or to write), and the earlier ones still to write."""
    today = timezone.localdate(now)
    enrollments = _trainee_enrollments(user, now, fresh=True)
    recent = [
        e
        for e in enrollments
        if e.program.start_date <= today <= add_days(e.program.end_date, LOOK_BACK_DAYS)
    ]
    if not recent:
        return []
    activity_dates = activity_dates_by_program({e.program_id for e in recent})
    days_off = days_off_by_program({e.program_id: e.program for e in recent}.values())
    states = {
        (r["enrollment_id"], r["date"]): r["status"]
        for r in DailyReflection.objects.filter(enrollment__in=recent).values(
            "enrollment_id", "date", "status"
        )
    }
    items: list[DueItem] = []
    for enrollment in recent:
        program = enrollment.program
        days = reflection_days(
            program, activity_dates.get(program.pk, set()), days_off.get(program.pk, {})
        )
        for day in days:
            if day > today:
                break
            status = states.get((enrollment.pk, day))
            item = _day_item(enrollment, day, status, today=today, now=now, several=len(recent) > 1)
            if item is not None:
                items.append(item)
    return items


def due_surveys(user, now: datetime) -> list[DueItem]:
    """The surveys open now and not answered yet."""
    enrollments = _trainee_enrollments(user, now)
    if not enrollments:
        return []
    surveys = {
        s.program_id: s
        for s in ProgramSurvey.objects.filter(
            program__in=[e.program_id for e in enrollments]
        ).select_related("question_set")
    }
    answered = set(
        SurveyResponse.objects.filter(enrollment__in=enrollments).values_list(
            "enrollment_id", "phase"
        )
    )
    labels = {
        Phase.PRE: _("Survey before the program"),
        Phase.POST: _("Survey after the program"),
        Phase.FOLLOWUP: _("Follow-up survey"),
    }
    starts = first_starts([e.program_id for e in enrollments])
    items = []
    for enrollment in enrollments:
        survey = surveys.get(enrollment.program_id)
        if survey is None:
            # Not set up yet: the built-in set applies; its windows only need the dates.
            survey = ProgramSurvey(program=enrollment.program, followup_days=90)
        program_windows = windows(
            enrollment.program, survey, first_start=starts.get(enrollment.program_id)
        )
        for phase, window in program_windows.items():
            if window.is_open(now) and (enrollment.pk, phase) not in answered:
                items.append(
                    DueItem(
                        "survey",
                        labels[phase],
                        reverse("trainees:survey_answer", args=[enrollment.pk, phase]),
                        state="open",
                        deadline=window.closes,
                        detail=enrollment.program.title,
                        order=30,
                    )
                )
    return items


def due_interviews(user, now: datetime) -> list[DueItem]:
    """An interview to come, or one held and waiting for the trainee's review."""
    enrollments = _trainee_enrollments(user, now)
    if not enrollments:
        return []
    today = timezone.localdate(now)
    items = []
    for interview in (
        Interview.objects.filter(
            enrollment__in=enrollments,
            state__in=(InterviewState.DRAFT, InterviewState.INTERVIEWED),
            activity__cancelled_at__isnull=True,
        )
        .select_related("activity")
        .order_by("activity__date", "activity__start_time")
    ):
        slot = interview.activity
        if interview.state == InterviewState.INTERVIEWED:
            items.append(
                DueItem(
                    "interview",
                    _("Read your interview and say what may be published"),
                    reverse("trainees:interview_review", args=[interview.pk]),
                    state="due",
                    order=15,
                )
            )
        elif slot.date >= today:
            starts = timezone.make_aware(datetime.combine(slot.date, slot.start_time))
            items.append(
                DueItem(
                    "interview",
                    _("Interview"),
                    reverse("trainees:interview_review", args=[interview.pk]),
                    state="info",
                    # Its own words (予定 12/6 14:00), never a survey's 回答受付中.
                    state_label=_("Planned %(when)s") % {"when": show(starts, "moment")},
                    detail=slot.place,
                    order=40,
                )
            )
    return items


def due_comments(user, now: datetime) -> list[DueItem]:
    """Comments on the trainee's reflections they have not read yet, a day at a time."""
    enrollments = _trainee_enrollments(user, now)
    if not enrollments:
        return []
    unread = (
        ReflectionComment.objects.filter(
            reflection__enrollment__in=enrollments, read_by_trainee_at__isnull=True
        )
        .exclude(author=user)
        .values("reflection__enrollment_id", "reflection__date")
        .annotate(n=Count("pk"))
        .order_by("reflection__date")
    )
    return [
        DueItem(
            "feedback",
            _("New comments on your reflection for %(day)s")
            % {"day": day_label(row["reflection__date"])},
            _reflection_url(row["reflection__enrollment_id"], row["reflection__date"]),
            state="unread",
            detail=_("%(count)s unread") % {"count": row["n"]},
            order=5,
        )
        for row in unread
    ]


def due_training_reports(user, now: datetime) -> list[DueItem]:
    """The 研修報告書 of each program whose last day has passed, until it is submitted."""
    enrollments = _trainee_enrollments(user, now)
    if not enrollments:
        return []
    today = timezone.localdate(now)
    ended = [e for e in enrollments if e.program.end_date < today]
    # Asked for every enrolment (not only the ended ones): one query whatever the programs.
    submitted = set(
        TrainingReport.objects.filter(
            enrollment__in=enrollments, status=TrainingReportStatus.SUBMITTED
        ).values_list("enrollment_id", flat=True)
    )
    return [
        DueItem(
            "training_report",
            _("Write your training report (研修報告書)"),
            reverse("trainees:training_report_write", args=[e.pk]),
            state="todo",
            detail=e.program.title,
            order=25,
        )
        for e in ended
        if e.pk not in submitted
    ]


# What waits for a trainee, in the order the registry asks (the first reads the enrolments).
TRAINEE_DUE = (due_reflections, due_surveys, due_interviews, due_comments, due_training_reports)


def program_sections(user, program) -> list[ProgramSection]:
    sections = []
    if access.works_for_host(user, program):
        waiting = DailyReflection.objects.filter(
            enrollment__program=program, status=ReflectionStatus.SUBMITTED
        ).count()
        sections.append(
            ProgramSection(
                _("Daily reflections"),
                reverse("trainees:reflection_matrix", args=[program.pk]),
                detail=_("%(count)s waiting for review") % {"count": waiting} if waiting else "",
                order=10,
            )
        )
        sections.append(
            ProgramSection(
                _("Survey results"), reverse("trainees:survey_results", args=[program.pk]), order=20
            )
        )
        sections.append(
            ProgramSection(
                _("Interviews"), reverse("trainees:interview_list", args=[program.pk]), order=30
            )
        )
    elif own := _own_enrollment(user, program):
        sections.append(
            ProgramSection(
                _("Training report (研修報告書)"),
                reverse("trainees:training_report_write", args=[own.pk]),
                order=15,
            )
        )
    elif access.roles_of(user)["supervisor"]:
        sections.append(
            ProgramSection(
                _("Submitted reflections"),
                reverse("trainees:supervisor_reflections") + f"?program={program.pk}",
                order=10,
            )
        )
        waiting = (
            Interview.objects.visible_to(user)
            .filter(enrollment__program=program, state=InterviewState.REVIEWED)
            .count()
        )
        sections.append(
            ProgramSection(
                _("Interviews"),
                reverse("trainees:interview_list", args=[program.pk]),
                detail=_("%(count)s waiting for your approval") % {"count": waiting}
                if waiting
                else "",
                order=20,
            )
        )
    return sections


def _own_enrollment(user, program):
    """The trainee's own enrolment in this program (a published one), or None."""
    if not access.roles_of(user)["trainee"] or program.status == Status.DRAFT:
        return None
    return Enrollment.objects.filter(program=program, trainee=user).only("pk").first()


def _waiting_for_review(host_ids) -> int:
    """Submitted reflections of these hosts, counted once per change of a reflection of one
    of them (their "trainees" versions)."""
    hosts = sorted(host_ids)
    return kenshu_cache.cached_value(
        "waiting",
        lambda: sum(n for (n,) in WAITING_FOR_REVIEW.rows(hosts)),
        scopes=kenshu_cache.host_page_scopes(host_ids, "trainees"),
        parts=tuple(hosts),
    )


# Counted on every host home page: compiled once per connection (programs.compiled).
WAITING_FOR_REVIEW = CompiledQuery(
    lambda hosts: (
        DailyReflection.objects.filter(
            enrollment__program__host_id__in=hosts, status=ReflectionStatus.SUBMITTED
        )
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("n")
    )
)


def due_for_readers(user, now: datetime) -> list[DueItem]:
    """For the host's people: reflections waiting for review; for supervisors: interview
    articles waiting for their approval."""
    items = []
    host_ids = access.host_ids_of(user)
    if host_ids:
        waiting = _waiting_for_review(host_ids)
        if waiting:
            items.append(
                DueItem(
                    "reflections",
                    _("%(count)s reflections waiting for review") % {"count": waiting},
                    reverse("trainees:reflection_inbox"),
                    state="todo",
                    order=10,
                )
            )
    if access.roles_of(user)["supervisor"]:
        for interview in (
            Interview.objects.visible_to(user)
            .filter(state=InterviewState.REVIEWED)
            .exclude(enrollment__program__host__in=host_ids)
            .select_related("enrollment__trainee", "enrollment__program")
        ):
            items.append(
                DueItem(
                    "interview_approval",
                    _("Approve the interview article of %(name)s")
                    % {"name": interview.enrollment.trainee.display_name},
                    reverse("reports:article_preview", args=[interview.pk]),
                    state="todo",
                    detail=interview.enrollment.program.title,
                    order=10,
                )
            )
    return items
