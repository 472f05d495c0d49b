"""manage.py backup and restore on SQLite with the disk store, in seconds.

The suite's database is SQLite in memory: `backup` copies it through the command itself (the
sqlite3 online backup reads the live connection). It cannot be restored into, as it already has
Kenshu's tables (the command refuses, as tested), so the way back is tested through the same
`restore_backup` the command calls, into a new database file and a new disk store.
tests/integration/test_backup_restore.py runs both commands for real on PostgreSQL and S3."""

import hashlib
import json
import sqlite3
from contextlib import closing
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.utils import timezone

from programs import backup
from programs.backup import restore_backup

STORED = {
    "seminar-materials/資料.pdf": b"%PDF-1.4\n%%EOF\n" + "資料".encode() * 50,
    "reports/2026/研修実施報告書_v1.pdf": b"%PDF-1.4\nreport\n%%EOF\n",
    "top.txt": b"",
}


@pytest.fixture
def copy(settings, tmp_path, client, coordinator):
    """A backup of a database with a signed-in session and a disk store of three files."""
    if connection.vendor != "sqlite":
        pytest.skip(
            "SQLite's copy and way back; on PostgreSQL the drill is "
            "tests/integration/test_backup_restore.py"
        )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    for name, data in STORED.items():
        assert default_storage.save(name, ContentFile(data)) == name
    client.force_login(coordinator)
    out = StringIO()
    call_command("backup", tmp_path / "copies", stdout=out)
    (folder,) = (tmp_path / "copies").iterdir()
    return folder, client.session.session_key, out.getvalue()


@pytest.fixture
def fresh(tmp_path):
    """A new database file and a new disk store to restore into."""
    target = DatabaseWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}, alias="fresh"
    )
    yield target, FileSystemStorage(location=tmp_path / "restored-media")
    target.close()


def rows(path, sql):
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_copy_holds_the_database_then_every_file_with_its_sha256(copy):
    folder, session_key, said = copy
    assert folder.name.startswith("kenshu-") and folder.name.endswith("Z")
    size = sum(map(len, STORED.values()))
    assert said.strip() == f"Backed up the database and 3 files ({size} bytes) to {folder}"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["engine"] == "sqlite"
    assert manifest["migrations"]["programs"].startswith("00")
    assert {e["name"]: (e["size"], e["sha256"]) for e in manifest["files"]} == {
        name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in STORED.items()
    }
    for name, data in STORED.items():
        assert (folder / "files" / name).read_bytes() == data
    dump = folder / "database.sqlite3"
    assert rows(dump, "SELECT session_key FROM django_session") == [(session_key,)]
    assert rows(dump, "SELECT COUNT(*) FROM programs_program") == [(0,)]


@pytest.mark.django_db(transaction=True)
def test_restored_into_a_new_database_and_store_under_the_same_names(copy, fresh):
    folder, session_key, _ = copy
    target, store = fresh
    done = restore_backup(folder, connection=target, storage=store)
    assert (done.files, done.kept) == (3, 0)
    for name, data in STORED.items():
        with store.open(name, "rb") as restored:
            assert restored.read() == data
    restored = target.settings_dict["NAME"]
    assert rows(restored, "SELECT session_key FROM django_session") == [(session_key,)]
    # Once restored, it is a database in use: a second restore is refused.
    with pytest.raises(CommandError, match="already has Kenshu's tables"):
        restore_backup(folder, connection=target, storage=store)


@pytest.mark.django_db(transaction=True)
def test_a_database_with_kenshus_tables_is_refused(copy):
    folder, _, _ = copy
    with pytest.raises(CommandError, match=r"already has Kenshu's tables \(programs_program\)"):
        call_command("restore", folder)


@pytest.mark.django_db(transaction=True)
def test_a_changed_file_is_refused_and_nothing_is_restored(copy, fresh):
    folder, _, _ = copy
    target, store = fresh
    changed = folder / "files" / "seminar-materials" / "資料.pdf"
    changed.write_bytes(changed.read_bytes()[:-1] + b"!")
    with pytest.raises(CommandError, match="is not the file that was backed up: its sha256"):
        restore_backup(folder, connection=target, storage=store)
    assert not Path(store.location).exists()
    assert "programs_program" not in target.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_a_copy_made_by_a_later_version_is_refused_and_nothing_is_restored(copy, fresh):
    folder, _, _ = copy
    target, store = fresh
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["migrations"]["programs"] = "9999_from_a_later_version"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match=r"later version of Kenshu \(programs.9999_from"):
        restore_backup(folder, connection=target, storage=store)
    assert not Path(store.location).exists()
    assert "programs_program" not in target.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_the_store_holding_a_name_with_other_bytes_is_refused_the_same_bytes_kept(copy, fresh):
    folder, _, _ = copy
    target, store = fresh
    store.save("top.txt", ContentFile(b""))
    store.save("reports/2026/研修実施報告書_v1.pdf", ContentFile(b"another"))
    with pytest.raises(CommandError, match="already holds 1 of the copy's names with other"):
        restore_backup(folder, connection=target, storage=store)
    store.delete("reports/2026/研修実施報告書_v1.pdf")
    assert restore_backup(folder, connection=target, storage=store).kept == 1


@pytest.mark.django_db(transaction=True)
def test_a_copy_that_did_not_finish_or_lost_a_file_is_refused(copy, fresh):
    folder, _, _ = copy
    target, store = fresh
    (folder / "files" / "top.txt").unlink()
    with pytest.raises(CommandError, match=r"missing \['top.txt'\]"):
        restore_backup(folder, connection=target, storage=store)
    (folder / "manifest.json").unlink()
    with pytest.raises(CommandError, match="did not finish"):
        restore_backup(folder, connection=target, storage=store)


def test_postgresql_is_dumped_with_the_password_in_the_environment_only(monkeypatch, tmp_path):
    ran = []
    monkeypatch.setattr(backup.shutil, "which", lambda program: f"/usr/bin/{program}")
    monkeypatch.setattr(
        backup.subprocess,
        "run",
        lambda args, **kw: ran.append((args, kw)) or SimpleNamespace(returncode=0),
    )
    db = {"NAME": "kenshu", "USER": "kenshu", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5432}
    postgresql = SimpleNamespace(
        vendor="postgresql", settings_dict={**db, "OPTIONS": {}}, client=DatabaseClient
    )
    assert backup.dump_database(postgresql, tmp_path) == "database.dump"
    backup.restore_database(postgresql, tmp_path / "database.dump")
    (dump, dumped), (restore, restored) = ran
    assert dump == [
        "/usr/bin/pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-acl",
        f"--file={tmp_path / 'database.dump'}",
        "--username=kenshu",
        "--host=db",
        "--port=5432",
        "--dbname=kenshu",
    ]
    assert restore[:5] == [
        "/usr/bin/pg_restore",
        "--no-owner",
        "--no-acl",
        "--exit-on-error",
        "--single-transaction",
    ]
    assert restore[-2:] == ["--dbname=kenshu", str(tmp_path / "database.dump")]
    assert not any("s3cret" in arg for arg in dump + restore)
    assert dumped["env"]["PGPASSWORD"] == restored["env"]["PGPASSWORD"] == "s3cret"


@pytest.mark.django_db(transaction=True)
def test_a_file_deleted_while_the_copy_is_made_is_left_out(settings, tmp_path):
    class Deleting(FileSystemStorage):
        """Lists a file that is gone by the time it is read."""

        def listdir(self, path):
            folders, files = super().listdir(path)
            return folders, [*files, "gone.pdf"] if path == "" else files

    store = Deleting(location=tmp_path / "media")
    store.save("kept.pdf", ContentFile(b"kept"))
    done = backup.make_backup(
        tmp_path / "copies", connection=connection, storage=store, now=timezone.now()
    )
    manifest = json.loads((done.folder / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["name"] for entry in manifest["files"]] == ["kept.pdf"]
    assert not (done.folder / "files" / "gone.pdf").exists()
