"""Integers from requests never cost more than a clear refusal: an id in an address or a query
string that no row can have is 404 (or the page's default), a form's out-of-range or oddly
written choice is an error next to its field. 2**70 overflows SQLite's INTEGER and every
PostgreSQL column; 2**63 - 1 is the largest id both hold; 2**31 overflows PostgreSQL's
`integer` (IntegerField) but not SQLite: each is tried, so the tests prove the same on both.
(The trainees' and the trips' pages: test_integer_input_*.py beside their other tests.)"""

import inspect
import re

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programs.forms import ActivityForm
from programs.integers import ID_MAX, INT_MAX, IdChoiceField, IdMultipleChoiceField, int_param
from programs.models import Activity

from ..factories import add_activity, enrol

HUGE = str(2**70)
ODD = [HUGE, str(-(2**70)), str(ID_MAX + 1), "1e5", " 12", "٣", "１２", "12abc", "9" * 5000]


# The helper ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("0042", 42), (str(INT_MAX), INT_MAX), (7, 7), ("0", None), ("", None)]
    + [(None, None), (True, None), (str(INT_MAX + 1), None), ("-1", None), ("+1", None)]
    + [("1.0", None), ("1_000", None), ("12 ", None), ("²", None)]
    + [(odd, None) for odd in ODD],
)
def test_int_param_reads_plain_ascii_digits_in_range_and_nothing_else(value, expected):
    assert int_param(value) == expected


def test_int_param_takes_its_bounds():
    assert int_param("0", minimum=0) == 0
    assert int_param(str(ID_MAX), maximum=ID_MAX) == ID_MAX
    assert int_param(str(ID_MAX + 1), maximum=ID_MAX) is None
    assert int_param("6", minimum=1, maximum=5) is None


# Addresses -------------------------------------------------------------------------------


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


ROUTES = sorted(set(walk(get_resolver().url_patterns)))
SAMPLES = {"str": "sample", "slug": "sample", "path": "sample", "isodate": "2026-11-30"}


def concrete(route: str, number: str) -> str:
    """The route with every id set to `number` (the other parts a sample)."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(
        r"<(?:(\w+):)?\w+>",
        lambda m: number if m.group(1) in ("id", "int") else SAMPLES[m.group(1) or "str"],
        route,
    )
    return "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "sample", route)


def test_no_address_of_the_project_takes_an_unbounded_int():
    """Django's <int:…> passes a hundred digits to the view (and on to the database)."""
    ours = [r for r, _name in ROUTES if not r.startswith(("admin/", "accounts/"))]
    assert [r for r in ours if "<int:" in r] == []
    assert len([r for r in ours if "<id:" in r]) > 60


ID_ROUTES = [(r, n) for r, n in ROUTES if "<id:" in r]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ID_ROUTES, ids=[r for r, _ in ID_ROUTES])
def test_every_address_answers_404_for_an_id_no_row_can_have(
    client, coordinator, program, route, name
):
    """Beyond the id column (2**70, 2**63): the address matches nothing. The largest id the
    column holds: the view looks it up (through compiled queries too) and finds nothing."""
    client.force_login(coordinator)
    for number in (HUGE, str(ID_MAX + 1), "9" * 30):
        assert client.get(concrete(route, number)).status_code == 404, number
        assert client.post(concrete(route, number)).status_code == 404, number
    address = concrete(route, str(ID_MAX))
    assert client.get(address).status_code in (404, 405)
    assert client.post(address).status_code in (404, 405)


@pytest.mark.django_db
def test_a_program_or_trip_beyond_the_id_column_is_not_found(client, coordinator, program):
    client.force_login(coordinator)
    for address in [
        f"/programs/{HUGE}/",
        "/programs/99999999999999999999/",
        f"/programs/{ID_MAX + 1}/week/",
        f"/programs/{program.pk}/trips/{HUGE}/",
        f"/programs/{program.pk}/trips/{ID_MAX}/",
    ]:
        assert client.get(address).status_code == 404, address
    assert client.get(f"/programs/{program.pk}/").status_code == 200


def test_an_address_still_names_an_id_written_plainly():
    assert reverse("programs:program_detail", args=[ID_MAX]) == f"/programs/{ID_MAX}/"
    match = get_resolver().resolve(f"/programs/{ID_MAX}/")
    assert match.kwargs == {"pk": ID_MAX}


# Forms: one field kind for a choice of rows ----------------------------------------------


def _project_forms():
    from programs import forms as programs_forms
    from seminars import forms as seminars_forms
    from trainees import forms as trainees_forms

    for module in (programs_forms, seminars_forms, trainees_forms):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_choice_of_rows_in_the_project_forms_refuses_what_it_cannot_look_up():
    found = {}
    for cls in _project_forms():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.ModelChoiceField):
                found[f"{cls.__name__}.{name}"] = type(field)
    assert len(found) >= 15
    assert {
        name: kind
        for name, kind in found.items()
        if kind not in (IdChoiceField, IdMultipleChoiceField)
    } == {}


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ODD + [str(2**31)])
def test_the_activity_form_refuses_odd_participants_next_to_the_field(program, trainee, odd):
    enrollment = enrol(program, trainee)
    data = {
        "date": program.start_date.isoformat(),
        "start_time": "13:00",
        "end_time": "14:00",
        "title": "面談",
        "kind": "work",
        "participants": [str(enrollment.pk), odd],
    }
    form = ActivityForm(data, program=program)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["participants"]] == ["invalid_choice"]
    assert ActivityForm(data | {"participants": [str(enrollment.pk)]}, program=program).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize("odd", [HUGE, str(ID_MAX + 1), "٣", "9" * 5000])
def test_the_week_page_keeps_the_activity_form_with_its_error(
    client, coordinator, program, trainee, odd
):
    enrol(program, trainee)
    client.force_login(coordinator)
    for field, value in [("participants", [odd]), ("facilitator", odd)]:
        response = client.post(
            reverse("programs:activity_create", args=[program.pk]),
            {
                "date": program.start_date.isoformat(),
                "start_time": "13:00",
                "end_time": "14:00",
                "title": "個別面談の準備",
                "kind": "work",
                field: value,
            },
        )
        assert response.status_code == 200, field
        html = response.content.decode()
        assert "正しく選択してください" in html and "個別面談の準備" in html
    assert not Activity.objects.filter(program=program).exists()


# Query parameters ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ODD)
def test_the_week_page_answers_404_for_an_odd_activity_to_edit(client, coordinator, program, odd):
    activity = add_activity(program, program.start_date, "10:00", "11:00", "朝会")
    client.force_login(coordinator)
    url = reverse("programs:week_grid", args=[program.pk])
    assert client.get(url, {"edit": odd}).status_code == 404
    assert client.get(url, {"edit": str(activity.pk)}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ODD)
def test_the_program_list_reads_odd_filters_and_pages_as_none(client, coordinator, program, odd):
    client.force_login(coordinator)
    for parameter in ("page", "municipality", "fiscal_year"):
        response = client.get(reverse("programs:program_list"), {parameter: odd})
        assert response.status_code == 200, parameter
        assert program.title in response.content.decode(), parameter


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ODD)
def test_the_exports_answer_404_or_400_for_an_odd_program_or_year(
    client, coordinator, program, odd
):
    client.force_login(coordinator)
    assert client.get(reverse("reports:export_programs"), {"program": odd}).status_code == 404
    assert client.get(reverse("reports:export_programs"), {"year": odd}).status_code == 400
    assert client.get(reverse("reports:exports"), {"program": odd}).status_code == 200
    assert (
        client.get(reverse("reports:export_programs"), {"program": program.pk}).status_code == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ODD)
def test_the_report_pages_read_an_odd_year_as_this_year_and_an_odd_municipality_as_404(
    client, coordinator, program, trainee, odd
):
    enrol(program, trainee)
    client.force_login(coordinator)
    assert client.get(reverse("reports:fiscal_year_print"), {"year": odd}).status_code == 200
    url = reverse("reports:program_report_print", args=[program.pk])
    assert client.get(url, {"municipality": odd}).status_code == 404


@pytest.mark.django_db
def test_an_id_at_the_edge_of_the_column_is_read_as_any_other(client, coordinator, program):
    """The largest id both databases hold is looked up (and here names no row)."""
    client.force_login(coordinator)
    assert (
        client.get(reverse("reports:export_programs"), {"program": str(ID_MAX)}).status_code == 404
    )
    week = reverse("programs:week_grid", args=[program.pk])
    assert client.get(week, {"edit": str(ID_MAX)}).status_code == 404
