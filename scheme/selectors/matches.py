"""What the match pages read: one match's facts and its named staff with where each
stands, and the list of the matches a person may see (a fixed number of queries whatever
the number of rows), shaped for the templates."""

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from config.translated import choice_labels
from programs import access as core_access
from programs.formats import period, show
from programs.models import Enrollment, Invitation, Program

from .. import access
from ..models import Call, Match, MatchStatus


def match_weeks(start: date, weeks: int) -> str:
    """The match's weeks, Monday of the first to Friday of the last."""
    return period(start, start + timedelta(weeks=weeks, days=-3))


def roles_on(user, match: Match) -> dict:
    """How the user stands to this match: the office, the host's people, the contacts."""
    return {
        "office": access.is_office(user),
        "host": match.host_id in core_access.host_ids_of(user),
        "contact": core_access.supervises(user, match.application.municipality_id),
    }


def match_page(user, match: Match, now: datetime) -> dict:
    """The match page's context: its facts, its program (a link for the host's people), its
    staff and what this person may do there."""
    from ..services.staff import places_left

    roles = roles_on(user, match)
    confirmed = match.status == MatchStatus.CONFIRMED
    program = match.program
    staff = staff_rows(program, now) if program is not None else []
    return {
        "match": match,
        "roles": roles,
        "weeks": match_weeks(match.start_week, match.weeks),
        "status_label": choice_labels(MatchStatus)[match.status],
        "cancelled_at": show(match.cancelled_at, "date_long") if match.cancelled_at else "",
        "program": program,
        "program_url": (
            reverse("programs:program_detail", args=[program.pk])
            if program is not None and roles["host"]
            else ""
        ),
        "program_status": program.get_status_display() if program is not None else "",
        "staff_rows": staff,
        "places_left": places_left(match) if confirmed else 0,
        "can_name": confirmed and program is not None and roles["contact"],
        "can_change": confirmed and roles["office"],
    }


def staff_rows(program: Program, now: datetime) -> list[dict]:
    """The people named for the program, each once, with where they stand: enrolled,
    invited (waiting for them), the invitation expired or not delivered, account made
    (accepted, no longer enrolled). Two queries."""
    rows: dict[str, dict] = {}
    enrolments = (
        Enrollment.objects.filter(program=program).select_related("trainee").order_by("created_at")
    )
    for enrolment in enrolments:
        rows[enrolment.trainee.email.lower()] = {
            "name": enrolment.trainee.display_name,
            "email": enrolment.trainee.email,
            "department": enrolment.department,
            "position": enrolment.position,
            "state": "enrolled" if enrolment.withdrawn_at is None else "withdrawn",
        }
    invitations = Invitation.objects.filter(program=program, revoked_at__isnull=True).order_by(
        "created_at"
    )
    for invitation in invitations:
        rows.setdefault(invitation.email.lower(), _invited_row(invitation, now))
    labels = staff_labels()
    for row in rows.values():
        row["state_label"] = labels[row["state"]]
    return list(rows.values())


def _invited_row(invitation: Invitation, now: datetime) -> dict:
    if invitation.accepted_at:
        state = "account"
    elif invitation.expires_at <= now:
        state = "expired"
    elif invitation.delivery == "failed":
        state = "failed"
    else:
        state = "invited"
    return {
        "name": f"{invitation.family_name} {invitation.given_name}".strip(),
        "email": invitation.email_visible,
        "department": invitation.department,
        "position": invitation.position,
        "state": state,
    }


def staff_labels() -> dict[str, str]:
    return {
        "enrolled": _("Enrolled"),
        "withdrawn": _("Withdrawn"),
        "account": _("Account made"),
        "invited": _("Invited, not yet accepted"),
        "expired": _("Invitation expired"),
        "failed": _("Invitation not delivered"),
    }


def match_rows(user, call_id: int | None = None) -> list[dict]:
    """The matches the user may see (the office: of one call when `call_id`), newest call
    first, with their host, municipality, weeks, staff and status as strings."""
    matches = Match.objects.visible_to(user)
    if call_id is not None:
        matches = matches.filter(call_id=call_id)
    values = matches.order_by("-call__fiscal_year", "start_week", "host__name", "pk").values(
        "pk",
        "call__fiscal_year",
        "host__name",
        "application__municipality__name",
        "start_week",
        "weeks",
        "staff",
        "status",
    )
    labels = choice_labels(MatchStatus)
    return [
        {
            "url": reverse("scheme:match_detail", args=[row["pk"]]),
            "fiscal_year": row["call__fiscal_year"],
            "host": row["host__name"],
            "municipality": row["application__municipality__name"],
            "weeks": match_weeks(row["start_week"], row["weeks"]),
            "staff": row["staff"],
            "status": labels[row["status"]],
            "cancelled": row["status"] == MatchStatus.CANCELLED,
        }
        for row in values
    ]


def call_filter(user) -> list[dict]:
    """The calls the office filters the list by."""
    if not access.is_office(user):
        return []
    return list(
        Call.objects.visible_to(user).order_by("-fiscal_year").values("pk", "fiscal_year", "title")
    )
