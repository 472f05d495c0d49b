"""旅費 in the end-of-program documents: per payer, one row per traveller and one column per
category in the payer's own words (`Expense.label`, kept as the line was made), with the
totals, over the program's trips that were not cancelled. A municipality's documents carry
what it pays for its own trainees; the whole program report carries every payer (the
municipalities and the host). One query whatever the number of trips and lines."""

from django.db.models import Count, Sum

from programs.models import Enrollment, Program
from programs.prefectures import Prefecture
from seminars.models import Expense, Payer, TripStatus
from seminars.selectors.common import display_name
from seminars.services.expenses import payer_tables

FIELDS = (
    "enrollment_id",
    "staff_id",
    "kind",
    "label",
    "payer",
    "enrollment__municipality_id",
    "enrollment__municipality__name",
    "enrollment__municipality__prefecture",
    "enrollment__trainee__family_name",
    "enrollment__trainee__given_name",
    "enrollment__trainee__email",
    "staff__family_name",
    "staff__given_name",
    "staff__email",
)


def _item(line: dict, host_name: str) -> dict:
    if line["enrollment_id"]:
        person = ("e", line["enrollment_id"])
        name = display_name(
            line["enrollment__trainee__family_name"],
            line["enrollment__trainee__given_name"],
            line["enrollment__trainee__email"],
        )
        municipality = line["enrollment__municipality__name"]
    else:
        person = ("s", line["staff_id"])
        name = display_name(
            line["staff__family_name"], line["staff__given_name"], line["staff__email"]
        )
        municipality = ""
    if line["payer"] == Payer.HOST:
        payer, payer_name = ("host",), host_name
    else:
        muni = line["enrollment__municipality_id"]
        prefecture = Prefecture(line["enrollment__municipality__prefecture"]).label
        payer, payer_name = ("m", muni), f"{prefecture} {line['enrollment__municipality__name']}"
    return {
        "person": person,
        "name": name,
        "municipality": municipality,
        "payer": payer,
        "payer_name": payer_name,
        "kind": line["kind"],
        "label": line["label"],
        "amount": line["sum"],
    }


def travel_costs(program: Program, enrollments: list[Enrollment] | None = None) -> dict:
    """The 旅費 tables (`seminars.services.expenses.payer_tables`) and their grand total.
    `enrollments` None: every payer, the host's staff included (the whole report). Else only
    what the trainees' municipalities pay for these trainees (a municipality's report, a
    研修報告書)."""
    lines = Expense.objects.filter(trip__program=program).exclude(trip__status=TripStatus.CANCELLED)
    if enrollments is not None:
        lines = lines.filter(enrollment__in=[e.pk for e in enrollments], payer=Payer.MUNICIPALITY)
    sums = lines.order_by().values(*FIELDS).annotate(sum=Sum("amount"), count=Count("pk"))
    tables = payer_tables([_item(line, program.host.name) for line in sums])
    for table in tables:
        for row in table["rows"]:
            row["lines"] = [
                (label, amount)
                for label, amount in zip(table["categories"], row["amounts"], strict=True)
                if amount
            ]
    return {
        "tables": tables,
        "total": sum(t["total"] for t in tables),
        "municipal_total": sum(t["total"] for t in tables if t["key"][0] == "m"),
        "host_total": sum(t["total"] for t in tables if t["key"][0] == "host"),
    }


def trainee_costs(program: Program, enrollment: Enrollment) -> dict | None:
    """What the trainee's municipality pays for them: [(category, amount)] and the total."""
    costs = travel_costs(program, [enrollment])
    if not costs["tables"]:
        return None
    (table,) = costs["tables"]
    (row,) = table["rows"]
    return {"payer": table["payer"], "lines": row["lines"], "total": row["total"]}
