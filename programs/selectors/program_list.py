"""The list of programs: what a page of it reads, in a fixed number of queries whatever the
number of programs or trainees, and its rows shaped for the template (every cell a string)."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from config.jinja2 import url_by_pk
from config.translated import choice_labels

from .. import access
from ..compiled import CompiledQuery, run_together
from ..formats import period
from ..forms import ProgramFilterForm
from ..integers import int_param
from ..models import Enrollment, HostCompany, Municipality, Program, Status

PAGE_SIZE = 50
PREFECTURES = dict(Municipality._meta.get_field("prefecture").flatchoices)
FISCAL_YEAR = gettext_lazy("FY%(year)s")


def program_rows(programs: list[dict], municipalities: dict[int, list[str]]) -> list[dict]:
    """Shape programs (`.values()` dicts) for the list template: every cell a string."""
    rows = []
    detail = url_by_pk("programs:program_detail")
    fiscal_year = str(FISCAL_YEAR)  # translated once per table, not once per row
    labels = choice_labels(Status)
    for p in programs:
        status = p["effective_status"]
        rows.append(
            {
                "url": detail(p["pk"]),
                "title": p["title"],
                "host": p["host__name"],
                "dates": period(p["start_date"], p["end_date"], "date_long"),
                "fiscal_year": fiscal_year % {"year": p["fiscal_year"]},
                "status": status,
                "status_label": labels[status],
                "trainees": p["trainees"],
                "municipalities": "、".join(sorted(municipalities.get(p["pk"], []))) or "—",
            }
        )
    return rows


ROW_FIELDS = (
    "pk",
    "title",
    "host__name",
    "start_date",
    "end_date",
    "fiscal_year",
    "status",
    "effective_status",
)


# The list's queries, written once: run through the ORM, or compiled once per connection
# (programs.compiled) for its most read form — the first page, unfiltered, for someone who
# only works for hosts (their programs are their hosts', their enrolments those programs').
def _years(programs):
    return programs.order_by().values_list("fiscal_year").annotate(n=Count("pk"))


PAGE_ORDER = ("-start_date", "title", "pk")  # the pk last: one order, whichever query asks


def _page_rows(programs, today):
    return programs.with_effective_status(today).order_by(*PAGE_ORDER)


def _trainees(enrollments, program_ids):
    return (
        enrollments.active()
        .filter(program__in=program_ids)
        .order_by()
        .values_list("program", "municipality__name")
        .annotate(n=Count("pk"))
    )


def _municipalities(enrollments):
    return Municipality.objects.filter(pk__in=enrollments.active().values("municipality"))


HOST_YEARS = CompiledQuery(lambda hosts: _years(Program.objects.filter(host_id__in=hosts)))
HOST_FIRST_PAGE = CompiledQuery(
    lambda hosts, today: _page_rows(Program.objects.filter(host_id__in=hosts), today).values_list(
        *ROW_FIELDS
    )[:PAGE_SIZE]
)
# The first page's trainees, its programs chosen again in a subquery, so that the four
# queries go to the database together (one round trip on PostgreSQL).
FIRST_PAGE_TRAINEES = CompiledQuery(
    lambda hosts: _trainees(
        Enrollment.objects.all(),
        Program.objects.filter(host_id__in=hosts).order_by(*PAGE_ORDER).values("pk")[:PAGE_SIZE],
    )
)
HOST_MUNICIPALITIES = CompiledQuery(
    lambda hosts: _municipalities(
        Enrollment.objects.filter(program__host_id__in=hosts)
    ).values_list("pk", "prefecture", "name")
)


def program_list_context(user, params, today) -> dict:
    """A page of the list for `user`, filtered and paged by the query string `params`."""
    hosts = access.only_hosts(user)
    if hosts and not params:
        return _first_page_for_hosts(user, params, hosts, today)
    base = access.programs_for(user)
    per_year = dict(_years(base))
    years = sorted(per_year, reverse=True)
    visible_enrollments = access.enrollments_for(user)
    municipalities = _municipalities(visible_enrollments)
    form = ProgramFilterForm(params or None, years=years, municipalities=municipalities)
    programs = _page_rows(base, today)
    filtered = False
    if form.is_valid():
        filtered = any(form.cleaned_data.values())
        data = form.cleaned_data
        if data["q"]:
            programs = programs.filter(
                Q(title__icontains=data["q"]) | Q(host__name__icontains=data["q"])
            )
        if data["fiscal_year"]:
            programs = programs.filter(fiscal_year=data["fiscal_year"])
        if data["status"]:
            programs = programs.filter(effective_status=data["status"])
        if data["municipality"]:
            programs = programs.filter(
                pk__in=visible_enrollments.active()
                .filter(municipality=data["municipality"])
                .values("program")
            )
    paginator = Paginator(programs.values_list(*ROW_FIELDS), PAGE_SIZE)
    if not filtered:
        paginator.count = sum(per_year.values())  # counted with the years, one query less
    page = paginator.get_page(int_param(params.get("page")) or 1)
    rows = [dict(zip(ROW_FIELDS, row, strict=True)) for row in page.object_list]
    trainees = list(_trainees(visible_enrollments, [p["pk"] for p in rows]))
    options = list(municipalities.values_list("pk", "prefecture", "name"))
    return _list_context(user, params, form, years, rows, trainees, options, page)


def _first_page_for_hosts(user, params, hosts: list[int], today) -> dict:
    year_rows, page_rows, trainees, options = run_together(
        [
            HOST_YEARS.later(hosts),
            HOST_FIRST_PAGE.later(hosts, today),
            FIRST_PAGE_TRAINEES.later(hosts),
            HOST_MUNICIPALITIES.later(hosts),
        ]
    )
    per_year = dict(year_rows)
    years = sorted(per_year, reverse=True)
    paginator = Paginator([], PAGE_SIZE)
    paginator.count = sum(per_year.values())
    page = paginator.get_page(1)
    rows = [dict(zip(ROW_FIELDS, row, strict=True)) for row in page_rows]
    # No filter given: the filters are drawn from the form's class, without making a form
    # (copying its four fields costs more than the page's four queries).
    return _list_context(user, params, None, years, rows, trainees, options, page)


def _list_context(user, params, form, years, rows, trainees, municipality_options, page) -> dict:
    # The page's trainees, counted per program and municipality.
    names: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    for program_id, name, n in trainees:
        names.setdefault(program_id, []).append(name)
        counts[program_id] = counts.get(program_id, 0) + n
    for p in rows:
        p["trainees"] = counts.get(p["pk"], 0)
    query = params.copy()
    query.pop("page", None)
    bound = form is not None and form.is_bound
    return {
        "q": params.get("q", "") if bound else "",
        "filters": _filter_choices(params if bound else {}, years, municipality_options),
        "rows": program_rows(rows, names),
        "page": page,
        "query": query.urlencode(),
        "can_create": bool(access.roles_of(user)["coordinated_ids"])
        or (user.is_superuser and HostCompany.objects.exists()),
    }


def _filter_choices(picked, years, municipality_options) -> list[tuple]:
    """The three filter <select>s as (name, label, [(value, text, selected)]): the same
    options and labels the form's fields offer, without Django's widget templates."""
    fields = ProgramFilterForm.base_fields
    options = (
        ("fiscal_year", ProgramFilterForm.year_choices(years)),
        ("status", fields["status"].choices),
        (
            "municipality",
            [
                ("", "---------"),
                *(  # labelled as str(municipality) is: "都道府県 名前"
                    (pk, f"{PREFECTURES[prefecture]} {name}")
                    for pk, prefecture, name in municipality_options
                ),
            ],
        ),
    )
    return [
        (
            name,
            fields[name].label,
            [(str(v), str(text), str(v) == picked.get(name, "")) for v, text in choices],
        )
        for name, choices in options
    ]
