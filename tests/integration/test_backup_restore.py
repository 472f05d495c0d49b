"""Backup and restore for real: `manage.py backup` of a PostgreSQL database and an S3-protocol
store (moto's standalone server) holding a built report and an uploaded material, then
`manage.py restore` into a new database and a second, empty store, and a web node on the
restored pair serving both files, byte for byte, to the session that was signed in before the
backup. A second restore into the same database is refused."""

import os
import secrets
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bench.processes import manage
from bench.s3server import s3_server
from config.store import from_environment
from reports.services.documents import request_program_report
from seminars.models import Seminar
from seminars.services.seminars import add_material

from ..reports import world as w
from .conftest import need, signed_in, web_node, worker_env

pytestmark = pytest.mark.integration

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + "研修資料".encode() * 200


def in_process(store) -> dict:
    """STORAGES' default for this process: the same store the commands read from store.env."""
    return from_environment(store.env)


def database_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


@contextmanager
def fresh_database():
    """A new, empty PostgreSQL database beside the test's, dropped afterwards."""
    import psycopg
    from psycopg import sql

    db = connection.settings_dict
    name = f"kenshu_restore_{secrets.token_hex(6)}"
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield name
        finally:
            assert name.startswith("kenshu_restore_")
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_database_and_store_serves_the_same_files(
    tmp_path, settings, client, host, coordinator, trainee, other_trainee
):
    need(connection.vendor == "postgresql", "needs DATABASE_URL on PostgreSQL")
    shared = worker_env()
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    base |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "KENSHU_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": settings.SECRET_KEY,
        "REDIS_URL": shared["REDIS_URL"],
    }
    with s3_server(tmp_path / "store") as store:
        settings.STORAGES = {**settings.STORAGES, "default": in_process(store)}
        program = w.build(host, coordinator, trainee, other_trainee).program
        seminar = Seminar.objects.filter(program=program).first()
        report = request_program_report(program, by=coordinator, today=timezone.localdate())
        report.refresh_from_db()
        assert report.state == "done", report.error
        with report.file.open("rb") as built:
            built = built.read()
        material = add_material(seminar, SimpleUploadedFile("資料.pdf", PDF), by=coordinator)
        client.force_login(coordinator)  # the session is a row: it travels in the dump

        done = manage(["backup", str(tmp_path / "copies")], base | shared | store.env, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Backed up the database and 2 files" in done.stdout
        (copy,) = (tmp_path / "copies").iterdir()
        backed_up = store.objects()

    with (
        fresh_database() as name,
        s3_server(tmp_path / "second-store", bucket="kenshu-restored") as second,
    ):
        restored = base | second.env | {"DATABASE_URL": database_url(name)}
        done = manage(["restore", str(copy)], restored, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Restored the database and 2 files" in done.stdout
        assert second.objects() == backed_up

        with web_node(restored, tmp_path, "web-restored") as node:
            session = signed_in(client, node)
            got = session.get(
                node + reverse("reports:report_download", args=[report.pk]), timeout=30
            )
            assert got.status_code == 200 and got.content == built
            got = session.get(
                node
                + reverse("seminars:material_download", args=[program.pk, seminar.pk, material.pk]),
                timeout=30,
            )
            assert got.status_code == 200 and got.content == PDF

        again = manage(["restore", str(copy)], restored, timeout=300)
        assert again.returncode != 0
        assert "already has Kenshu's tables (programs_program)" in again.stderr
