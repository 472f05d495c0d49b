"""A trainee's save locks that trainee's text and nothing else. The rows' default order runs
through the enrolment, the program and the trainee; a `FOR UPDATE` that kept it locked the
program's row too, so every autosave of a program queued behind the others, and two of them
deadlocked in the cluster rehearsal (bench/cluster.py: an HTTP 500, "deadlock detected ...
while locking tuple in relation programs_program")."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from trainees.services import reflections

from ..integration.conftest import need
from .conftest import SECTIONS


def locking_selects(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and "trainees_dailyreflection" in q["sql"].split("FROM")[1]
    ]


@pytest.mark.django_db
def test_the_save_reads_its_row_without_joining_the_program(enrollment, today):
    with CaptureQueriesContext(connection) as queries:
        reflections.save_draft(enrollment, today, SECTIONS, by=enrollment.trainee)
    selects = locking_selects(queries.captured_queries)
    assert selects and all("JOIN" not in sql for sql in selects), selects
    if connection.vendor == "postgresql":
        assert any('FOR UPDATE OF "trainees_dailyreflection"' in sql for sql in selects)


@pytest.mark.django_db(transaction=True)
def test_a_save_goes_through_while_the_program_row_is_locked(enrollment, today):
    """Another transaction holds the program's row (as publishing or the week's editor do): a
    trainee's save neither waits for it nor fails."""
    need(connection.vendor == "postgresql", "row locks are PostgreSQL's: SQLite locks the file")
    reflections.save_draft(enrollment, today, SECTIONS, by=enrollment.trainee)  # the row exists
    holding, release = threading.Event(), threading.Event()

    def hold_the_program():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT id FROM programs_program WHERE id = %s FOR UPDATE",
                        [enrollment.program_id],
                    )
                holding.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_program)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            saved = reflections.save_draft(
                enrollment, today, {**SECTIONS, "did": "続きを書いた"}, by=enrollment.trainee
            )
        assert saved.applied and saved.reflection.did == "続きを書いた"
    finally:
        release.set()
        holder.join(timeout=30)
