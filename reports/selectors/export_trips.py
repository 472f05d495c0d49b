"""The exports of the trips: the seminars (the host's people only) and the travel expenses;
a trip's own expenses CSV writes its lines the same way (reports.selectors.exports)."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from config.translated import choice_labels
from programs.formats import time_range
from programs.models import Enrollment, worked_for
from seminars.models import (
    Expense,
    Payer,
    Seminar,
    SeminarKind,
    SeminarRole,
    Trip,
    over_ceiling,
)

from .export_scope import CHUNK, Scope, display_name, iso_day

# 4. Seminars (the host's people only) --------------------------------------------------------


def seminar_header() -> list[str]:
    return [
        _("Program"),
        _("Date"),
        _("Time"),
        _("Kind"),
        _("Title"),
        _("Venue"),
        _("Partner organisation"),
        _("Expected attendance"),
        _("Actual attendance"),
        _("Trainees taking part"),
        _("Outcomes"),
    ]


def seminar_rows(scope: Scope):
    taking_part = (
        SeminarRole.objects.filter(seminar=OuterRef("pk"))
        .order_by()
        .values("seminar")
        .annotate(n=Count("pk"))
        .values("n")
    )
    seminars = (
        Seminar.objects.visible_to(scope.user)
        .filter(program__in=scope.programs)
        .annotate(taking_part=Coalesce(Subquery(taking_part, output_field=IntegerField()), 0))
        .order_by("date", "start_time", "program__title", "pk")
        .values(
            "program__title",
            "date",
            "start_time",
            "end_time",
            "kind",
            "title",
            "venue",
            "partner",
            "expected_attendance",
            "actual_attendance",
            "taking_part",
            "outcomes",
        )
    )
    kinds = choice_labels(SeminarKind)
    return (
        [
            s["program__title"],
            iso_day(s["date"]),
            time_range(s["start_time"], s["end_time"]),
            kinds.get(s["kind"], s["kind"]),
            s["title"],
            s["venue"],
            s["partner"],
            s["expected_attendance"],
            "" if s["actual_attendance"] is None else s["actual_attendance"],
            s["taking_part"],
            s["outcomes"],
        ]
        for s in seminars.iterator(chunk_size=CHUNK)
    )


# 5. Travel expenses --------------------------------------------------------------------------


def expense_header() -> list[str]:
    return [
        _("Program"),
        _("First day"),
        _("Last day"),
        _("Trip"),
        _("Participant"),
        _("Affiliation"),
        _("Category"),
        _("Amount (yen)"),
        _("Paid by"),
        _("Note"),
        _("Actual cost per night (yen)"),
        _("Ceiling per night (yen)"),
        _("Over the ceiling"),
    ]


def expense_rows(scope: Scope):
    """Every line of the trips the person may see; a supervisor only the lines of their own
    municipality's trainees (as the trip page shows them), never the host's staff's."""
    user = scope.user
    lines = Expense.objects.filter(
        trip__in=Trip.objects.visible_to(user).filter(program__in=scope.programs)
    )
    if not scope.unrestricted:
        lines = lines.filter(
            Q(trip__program__host__in=worked_for(user))
            | Q(enrollment__in=Enrollment.objects.visible_to(user).values("pk"))
        )
    return expense_lines(lines)


def expense_lines(lines):
    """The CSV rows of these expense lines (columns as `expense_header`), read in chunks of
    plain values: the exports and a trip's own CSV write an expense line the same way."""
    lines = lines.order_by(
        "trip__program__start_date",
        "trip__program__title",
        "trip__program",
        "trip__start_date",
        "trip",
        "enrollment__trainee__family_name_kana",
        "staff__family_name_kana",
        F("leg__depart_at").asc(nulls_last=True),
        "pk",
    ).values(
        "trip__program__title",
        "trip__program__host__name",
        "trip__start_date",
        "trip__end_date",
        "trip__purpose",
        "enrollment_id",
        "enrollment__trainee__family_name",
        "enrollment__trainee__given_name",
        "enrollment__trainee__email",
        "enrollment__municipality__name",
        "staff__family_name",
        "staff__given_name",
        "staff__email",
        "label",
        "amount",
        "payer",
        "note",
        "actual_cost",
        "ceiling",
    )
    return _expense_lines(lines, _("Over the ceiling"))


def _expense_lines(lines, over_label: str):
    """Each line's category is the payer's own word, kept on the line when it was made."""
    for line in lines.iterator(chunk_size=CHUNK):
        host = line["trip__program__host__name"]
        if line["enrollment_id"]:
            person = display_name(
                line["enrollment__trainee__family_name"],
                line["enrollment__trainee__given_name"],
                line["enrollment__trainee__email"],
            )
            municipality = line["enrollment__municipality__name"]
        else:
            person = display_name(
                line["staff__family_name"], line["staff__given_name"], line["staff__email"]
            )
            municipality = ""
        yield [
            line["trip__program__title"],
            iso_day(line["trip__start_date"]),
            iso_day(line["trip__end_date"]),
            line["trip__purpose"],
            person,
            municipality or host,
            line["label"],
            line["amount"],
            host if line["payer"] == Payer.HOST else municipality,
            line["note"],
            "" if line["actual_cost"] is None else line["actual_cost"],
            "" if line["ceiling"] is None else line["ceiling"],
            over_label if over_ceiling(line["actual_cost"], line["ceiling"]) else "",
        ]
