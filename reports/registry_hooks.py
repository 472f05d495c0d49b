"""What reports answers to the core's registry: the program page's link to its documents,
the email that tells coordinators a completed program's report is ready, and the demo's
finished documents."""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import access
from programs.models import Membership
from programs.models.organisations import Role
from programs.registry import DueReminder, NavLink, ProgramSection, Reminder, ReminderMessage

from .models import Report, ReportKind, ReportState
from .selectors.confirmations import waiting_count

# A report made by itself is announced for this long after it is built (a beat that was
# down for a day still sends it).
ANNOUNCE_FOR = timedelta(days=7)

NAV = (
    # The contact's home: their municipality's trainees, each linking to their page.
    NavLink(
        gettext_lazy("Our trainees"),
        "reports:municipality_home",
        roles=("supervisor",),
        order=25,
        current=("reports:contact_trainee",),
    ),
    # Each link says what it opens: the documents (PDFs) apart from the CSV files.
    NavLink(gettext_lazy("Reports"), "reports:contact_documents", roles=("supervisor",), order=35),
    NavLink(
        gettext_lazy("CSV exports"),
        "reports:exports",
        roles=("host", "supervisor"),
        order=40,
        current=("reports:fiscal_year_print",),
    ),
    # The scheme office: every program of the 年度 at every host, and the 年度 report.
    NavLink(
        gettext_lazy("The year's programs"),
        "reports:office_year",
        roles=("office",),
        order=20,
        current=("reports:fiscal_year_print",),
    ),
)


def program_sections(user, program):
    """Everyone who sees the program sees the documents they may hold (a trainee: their
    own 研修報告書)."""
    yield ProgramSection(
        title=_("Documents"), url=reverse("reports:program_documents", args=[program.pk]), order=60
    )
    if access.works_for_host(user, program):
        waiting = waiting_count(program)
        yield ProgramSection(
            title=_("Waiting for the municipality's confirmation"),
            url=reverse("reports:awaiting_confirmation", args=[program.pk]),
            detail=_("%(count)s waiting") % {"count": waiting} if waiting else "",
            order=61,
        )


def _automatic_reports(since: datetime):
    return Report.objects.filter(
        kind=ReportKind.PROGRAM,
        automatic=True,
        municipality__isnull=True,
        state=ReportState.DONE,
        finished_at__gte=since,
    ).select_related("program")


def _coordinators(reports) -> dict[int, list[int]]:
    """Who hears of each program's report: the coordinator who created the program while
    they still coordinate its host, else every coordinator of the host."""
    hosts = {r.program.host_id for r in reports}
    by_host: dict[int, set[int]] = {}
    for user_id, host_id in Membership.objects.filter(
        role=Role.COORDINATOR, host_company__in=hosts, user__is_active=True
    ).values_list("user_id", "host_company_id"):
        by_host.setdefault(host_id, set()).add(user_id)
    out = {}
    for report in reports:
        coordinators = by_host.get(report.program.host_id, set())
        creator = report.program.created_by_id
        out[report.pk] = [creator] if creator in coordinators else sorted(coordinators)
    return out


def find_program_report(now: datetime):
    reports = list(_automatic_reports(now - ANNOUNCE_FOR))
    recipients = _coordinators(reports)
    for report in reports:
        for user_id in recipients[report.pk]:
            yield DueReminder(
                kind="program_report",
                key=f"program_report:{report.program_id}:{user_id}",
                recipient_id=user_id,
                url=reverse("reports:report_status", args=[report.pk]),
                due_at=now,
                program_id=report.program_id,
                context={"report": report.pk},
            )


def _report_still_due(rows, now) -> set:
    """The document is still there and built (a program deleted since takes it along)."""
    built = set(
        Report.objects.filter(
            pk__in={r.context.get("report") for r in rows}, state=ReportState.DONE
        ).values_list("pk", flat=True)
    )
    return {r.pk for r in rows if r.context.get("report") in built}


def message_program_report(row) -> ReminderMessage | None:
    report = Report.objects.select_related("program").filter(pk=row.context["report"]).first()
    if report is None:
        return None
    program = report.program
    return ReminderMessage(
        subject=_("The program report is ready: %(title)s") % {"title": program.title},
        lines=(
            program.title,
            _(
                "The program ended on %(date)s. Its report (研修実施報告書) was built by itself "
                "from the week, the trips and seminars, and the trainees' records."
            )
            % {"date": date_format(program.end_date)},
            _(
                "Reflections, trip reports or interview answers that arrive later are added "
                "when you build it again (Documents → Build PDF again)."
            ),
            _("Check it, then send it to the municipalities with their trainees' 研修報告書."),
        ),
        action=_("Open the report"),
    )


REMINDERS = [
    Reminder(
        "program_report",
        gettext_lazy("The program report, when a program has completed"),
        find_program_report,
        _report_still_due,
        message_program_report,
        audience="host",
    ),
]


def seed(context: dict) -> int:
    """The finished demo program's report (whole, and the version for each municipality its
    contact downloads), each of its trainees' 研修報告書 and the host's fiscal-year summary,
    built through the same service and task as any request. The task runs here, at once, so
    that they exist when the newcomer first logs in; the copy of the task the worker receives
    finds them built and does nothing."""
    from .services import documents as document_services
    from .tasks import build_report

    if not settings.KENSHU_DEMO_DOCUMENTS:
        return 0
    past = context["past"]
    coordinator = context["people"]["coordinator@example.com"]
    today = context["today"]
    reports = [document_services.request_program_report(past, by=coordinator, today=today)]
    municipalities = {
        e.municipality for e in past.enrollments.active().select_related("municipality")
    }
    reports += [
        document_services.request_program_report(
            past, by=coordinator, today=today, municipality=municipality
        )
        for municipality in sorted(municipalities, key=lambda m: m.code)
    ]
    reports += [
        document_services.request_trainee_report(enrollment, by=coordinator, today=today)
        for enrollment in past.enrollments.active().select_related("trainee", "program")
    ]
    reports.append(
        document_services.request_fiscal_year(past.fiscal_year, host=past.host, by=coordinator)
    )
    built = 0
    for report in reports:
        if report.state != ReportState.DONE:
            build_report.apply(args=[report.pk])
            built += 1
    return built
