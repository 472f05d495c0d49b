"""programs.compiled: a query compiled once per connection gives the rows the queryset gives,
for any id, with the ORM's conversions (dates stay dates on SQLite)."""

from datetime import date

import pytest

from programs.access import _program_with_host
from programs.compiled import CompiledQuery
from programs.models import Program

from ..factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_the_compiled_query_gives_the_querysets_rows_for_every_id(host, other_host):
    programs = [ProgramFactory(host=h) for h in (host, other_host, host)]
    built = []

    def build(pk):
        built.append(pk)
        return Program.objects.filter(pk=pk).values_list("pk", "title", "start_date", "host__name")

    query = CompiledQuery(build)
    for program in programs:
        expected = list(
            Program.objects.filter(pk=program.pk).values_list(
                "pk", "title", "start_date", "host__name"
            )
        )
        assert query.rows(program.pk) == expected
        assert isinstance(query.rows(program.pk)[0][2], date)
    assert query.rows(max(p.pk for p in programs) + 1) == []
    assert len(built) == 1  # compiled once on this connection


def test_an_id_that_is_not_a_parameter_is_refused():
    query = CompiledQuery(lambda pk: Program.objects.filter(pk=1).values_list("pk"))
    with pytest.raises(ValueError, match="each value must appear among"):
        query.rows(5)


def test_the_program_with_its_host_is_the_program_select_related_gives(program):
    loaded = _program_with_host(program.pk)
    expected = Program.objects.select_related("host").get(pk=program.pk)
    fields = [f.attname for f in Program._meta.concrete_fields]
    assert [getattr(loaded, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert loaded.host.name == expected.host.name and loaded.host.pk == expected.host_id
    assert _program_with_host(program.pk + 1000) is None


def test_lists_of_ids_and_days_are_values_too(host, other_host):
    from datetime import timedelta

    programs = [ProgramFactory(host=h) for h in (host, other_host, host)]
    query = CompiledQuery(
        lambda hosts, day: (
            Program.objects.filter(host_id__in=hosts, start_date__lte=day)
            .order_by("pk")
            .values_list("pk", "start_date")
        )
    )
    start = programs[0].start_date
    for hosts in ([host.pk], [host.pk, other_host.pk], [other_host.pk]):
        for day in (start - timedelta(days=1), start, start + timedelta(days=30)):
            expected = list(
                Program.objects.filter(host_id__in=hosts, start_date__lte=day)
                .order_by("pk")
                .values_list("pk", "start_date")
            )
            assert query.rows(hosts, day) == expected, (hosts, day)
    assert query.rows([host.pk, other_host.pk], start) != []


def test_the_compiled_program_list_is_the_one_the_orm_draws(
    client, coordinator, host, program, trainee, other_trainee
):
    """The first page, unfiltered, for the host's people is drawn from compiled queries;
    `?page=1` takes the ORM's way: the same rows, counts and filter options."""
    from datetime import timedelta

    from django.urls import reverse

    from programs.models import Status

    from ..factories import enrol, table_rows

    enrol(program, trainee)
    enrol(program, other_trainee)
    later = ProgramFactory(
        host=host,
        title="来年度の研修",
        status=Status.DRAFT,
        start_date=program.start_date + timedelta(days=200),
        end_date=program.start_date + timedelta(days=204),
        fiscal_year=program.fiscal_year + 1,
    )
    enrol(later, trainee)
    client.force_login(coordinator)
    compiled = client.get(reverse("programs:program_list")).content.decode()
    through_the_orm = client.get(reverse("programs:program_list"), {"page": 1}).content.decode()
    assert table_rows(compiled) == table_rows(through_the_orm)
    assert len(table_rows(compiled)) == 2 and "来年度の研修" in compiled

    def options(page):
        return page.split('<form method="get"', 1)[1].split("</form>", 1)[0]

    assert options(compiled) == options(through_the_orm)
    assert "田川市" in options(compiled) and "北見市" in options(compiled)


def test_the_compiled_week_is_the_one_the_orm_gives(
    program, coordinator, staff, trainee, other_trainee
):
    """The host's people's week comes from two compiled queries; it lays out as the
    activities read through the ORM (facilitator, participants, cancelled, withdrawn)."""
    from datetime import date

    from django.utils import timezone

    from programs.selectors.week import KIND_LABELS, host_week, visible_week
    from programs.week_layout import layout

    from ..factories import add_activity, enrol

    first, second = enrol(program, trainee), enrol(program, other_trainee)
    monday = program.start_date
    add_activity(program, monday, "09:00", "10:00", "全員で", facilitator=staff)
    add_activity(program, monday, "10:00", "11:00", "ふたりで", participants=[first, second])
    add_activity(
        program,
        date.fromordinal(monday.toordinal() + 1),
        "13:00",
        "14:00",
        "ひとりで",
        participants=[second],
    )
    cancelled = add_activity(program, monday, "15:00", "16:00", "取り消し")
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    second.withdrawn_at = timezone.now()
    second.save()

    def laid_out(activities, names):
        week = layout(
            program.days, activities, today=monday, kind_labels=KIND_LABELS, participant_names=names
        )
        return [(d.date, [vars(c) for c in d.cells]) for d in week.days]

    compiled = laid_out(*host_week(program))
    assert compiled == laid_out(*visible_week(coordinator, program))
    cells = [c for _day, day_cells in compiled for c in day_cells]
    assert [c["title"] for c in cells] == ["全員で", "ふたりで", "ひとりで"]
    assert cells[0]["facilitator"] == staff.display_name
    assert cells[1]["participants"] == trainee.display_name  # the withdrawn one is gone
    assert cells[2]["participants"] == ""


def test_queries_run_together_give_what_each_gives_alone(
    host, other_host, django_assert_num_queries
):
    """run_together: one round trip on PostgreSQL (psycopg's pipeline), one query after
    another on SQLite; the same rows and dicts either way, each query counted."""
    from programs.compiled import run_together

    programs = [ProgramFactory(host=h) for h in (host, other_host, host)]
    by_host = CompiledQuery(
        lambda hosts: Program.objects.filter(host_id__in=hosts).order_by("pk").values("pk", "title")
    )
    one = CompiledQuery(lambda pk: Program.objects.filter(pk=pk).values_list("pk", "start_date"))
    alone = [by_host.dicts([host.pk]), one.rows(programs[1].pk), by_host.dicts([other_host.pk])]
    with django_assert_num_queries(3):
        together = run_together(
            [
                by_host.later([host.pk], dicts=True),
                one.later(programs[1].pk),
                by_host.later([other_host.pk], dicts=True),
            ]
        )
    assert together == alone
    assert [row["pk"] for row in together[0]] == [programs[0].pk, programs[2].pk]
    assert isinstance(together[1][0][1], date)


def test_a_failing_query_among_others_raises_the_databases_error_and_leaves_it_usable(program):
    from django.db import DatabaseError, transaction

    from programs.compiled import run_together

    good = CompiledQuery(lambda pk: Program.objects.filter(pk=pk).values_list("pk"))
    bad = CompiledQuery(
        lambda pk: (
            Program.objects.filter(pk=pk).extra(select={"x": "no_such_column"}).values_list("x")
        )
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        run_together([good.later(program.pk), bad.later(program.pk)])
    assert good.rows(program.pk) == [(program.pk,)]


def test_postgresql_plans_a_prepared_query_once_for_any_values():
    """With prepared statements on (the default), each connection asks PostgreSQL for one plan
    per query, whatever its values: planning the new reflections' page cost more than
    running it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no plan cache (DATABASE_URL is SQLite here)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"


@pytest.mark.django_db(transaction=True)
def test_a_failing_query_among_others_outside_a_transaction_leaves_the_connection_usable():
    """As a request runs them (autocommit, no surrounding transaction)."""
    from django.db import DatabaseError

    from programs.compiled import run_together

    program = ProgramFactory()
    good = CompiledQuery(lambda pk: Program.objects.filter(pk=pk).values_list("pk"))
    bad = CompiledQuery(
        lambda pk: (
            Program.objects.filter(pk=pk).extra(select={"x": "no_such_column"}).values_list("x")
        )
    )
    with pytest.raises(DatabaseError):
        run_together([good.later(program.pk), bad.later(program.pk), good.later(program.pk)])
    assert run_together([good.later(program.pk), good.later(program.pk)]) == [[(program.pk,)]] * 2
