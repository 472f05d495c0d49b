"""A copy of an installation and its way back: the database, then every stored file
(`default_storage`: the local disk or the S3-compatible store), and a manifest saying what the
copy holds. `manage.py backup` and `manage.py restore` are the two ways in.

The database is copied first, the files second. Kenshu never overwrites a stored file (every
name is new and random), so each file a row of the dump names was already stored when the dump
was taken. A file stored after the dump is copied too, with no row naming it: harmless. A file
deleted between the dump and its copy (its seminar deleted meanwhile) is missing from the copy
though a row of the dump names it: bucket versioning in production closes that window.

The way back puts the files in first, then the database: a restore stopped half way (the store
away a moment) runs again as it is, the files already there kept."""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.core.files import File
from django.core.management.base import CommandError
from django.db.migrations.recorder import MigrationRecorder

from programs.stored_files import STORE_ERRORS, is_missing

MANIFEST = "manifest.json"
FILES = "files"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# A table every Kenshu database has once migrated: its presence means "not a new database".
KENSHU_TABLE = "programs_program"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Summary:
    folder: Path
    files: int
    bytes: int
    kept: int = 0  # restore: files the store already held, byte for byte


def make_backup(destination: Path, *, connection, storage, now: datetime) -> Summary:
    """`destination`/kenshu-<UTC time>/: the database, then the files, then the manifest
    (written last: a folder without one is a copy that did not finish)."""
    folder = destination / f"kenshu-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    try:
        folder.mkdir(parents=True, exist_ok=False)
    except FileExistsError as exc:
        raise CommandError(f"{folder} already exists: wait a second and run again.") from exc
    try:
        database = dump_database(connection, folder)
        heads = migration_heads(connection)  # as the dump has them, not after the copy
        files = copy_files(storage, folder / FILES)
    except BaseException:
        shutil.rmtree(folder)  # no half copy left to be mistaken for one
        raise
    manifest = {
        "format": 1,
        "created": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "database": {"engine": connection.vendor, **describe(folder / database, database)},
        "migrations": heads,
        "files": files,
    }
    written = folder / (MANIFEST + ".part")
    written.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(written, folder / MANIFEST)
    return Summary(folder, len(files), sum(entry["size"] for entry in files))


def restore_backup(folder: Path, *, connection, storage) -> Summary:
    """The copy in `folder` into a new, empty database and the store. Everything is checked
    before anything is written: the database has no Kenshu tables, the copy is whole (each
    file's sha256 as the manifest says), and the store holds none of its names with other
    bytes."""
    manifest = read_manifest(folder)
    refuse_a_database_in_use(connection)
    database = manifest["database"]
    if database["engine"] != connection.vendor:
        raise CommandError(
            f"The copy holds a {database['engine']} database; this installation's is "
            f"{connection.vendor}."
        )
    verify(folder / database["name"], database)
    for entry in manifest["files"]:
        verify(inside(folder / FILES, entry["name"]), entry)
    refuse_a_newer_schema(manifest["migrations"])
    kept = already_stored(storage, manifest["files"])
    for entry in manifest["files"]:
        if entry["name"] not in kept:
            upload(storage, folder / FILES, entry["name"])
    restore_database(connection, folder / database["name"])
    files = manifest["files"]
    return Summary(folder, len(files), sum(entry["size"] for entry in files), kept=len(kept))


# --- The database -------------------------------------------------------------------------


def dump_database(connection, folder: Path) -> str:
    """The database into `folder`: the name of the file written."""
    name = DUMPS.get(connection.vendor)
    if name is None:
        raise CommandError(f"Backing up a {connection.vendor} database is not supported.")
    if connection.vendor == "postgresql":
        run_client(
            "pg_dump",
            ["--format=custom", "--no-owner", "--no-acl", f"--file={folder / name}"],
            connection,
        )
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(folder / name)) as target:
            connection.connection.backup(target)
    return name


def restore_database(connection, dump: Path) -> None:
    if connection.vendor == "postgresql":
        run_client(
            "pg_restore",
            ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"],
            connection,
            after=[str(dump)],
        )
        return
    if connection.is_in_memory_db():
        raise CommandError("The database is in memory: restore into a database file.")
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    # What is left of the empty database's journal must not be played onto the copy.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, partial)
    os.replace(partial, target)


def run_client(program: str, options: list[str], connection, after=()) -> None:
    """A PostgreSQL client program against the installation's database: the connection from
    DATABASES (Django's own reading of it, as `dbshell`), the password in PGPASSWORD, never
    on the command line."""
    executable = shutil.which(program)
    if executable is None:
        raise CommandError(
            f"{program} is not installed: install the PostgreSQL client programs, of the "
            "server's major version or newer."
        )
    db = connection.settings_dict
    _, env = connection.client.settings_to_cmd_args_env(db, [])
    where = [f"--{flag}={db[key]}" for flag, key in CONNECTION_FLAGS if db.get(key)]
    result = subprocess.run(  # noqa: S603 (a fixed program; values from the settings)
        [executable, *options, *where, *after],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise CommandError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")


CONNECTION_FLAGS = (("username", "USER"), ("host", "HOST"), ("port", "PORT"), ("dbname", "NAME"))


def refuse_a_database_in_use(connection) -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if KENSHU_TABLE in tables:
        raise CommandError(
            f"The database {connection.settings_dict['NAME']} already has Kenshu's tables "
            f"({KENSHU_TABLE}): restore only into a new, empty database."
        )


def refuse_a_newer_schema(heads: dict[str, str]) -> None:
    """A copy made by a later Kenshu holds tables this code does not know: restore it with
    the version that made it."""
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(f"{app}.{name}" for app, name in heads.items() if (app, name) not in known)
    if unknown:
        raise CommandError(
            f"The copy was made by a later version of Kenshu ({', '.join(unknown[:3])}): "
            "restore it with the version that made it."
        )


def migration_heads(connection) -> dict[str, str]:
    """The last migration applied of each app, as the django_migrations table says."""
    heads: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        heads[app] = max(heads.get(app, name), name)
    return dict(sorted(heads.items()))


# --- The files ----------------------------------------------------------------------------


def stored_names(storage, folder: str = ""):
    """Every name in the store, walking its folders (the disk's or the bucket's prefixes)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # a disk store nothing was ever saved to
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for sub in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, sub))


def copy_files(storage, root: Path) -> list[dict]:
    """Each stored file's bytes under `root`, by its name: the manifest's entries. A file
    deleted since the listing (its seminar deleted meanwhile) is left out."""
    root.mkdir()
    entries = []
    for name in stored_names(storage):
        path = inside(root, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            entries.append({"name": name, **copy_one(storage, name, path)})
        except STORE_ERRORS as exc:
            if not is_missing(exc):
                raise
            path.unlink(missing_ok=True)
    return entries


def copy_one(storage, name: str, path: Path) -> dict:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as source, open(path, "wb") as target:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def already_stored(storage, entries: list[dict]) -> set[str]:
    """The names the store already holds with the same bytes (restoring beside a store that
    survived); any held with other bytes stop the restore before it starts."""
    same, other = set(), []
    for entry in entries:
        if not storage.exists(entry["name"]):
            continue
        with storage.open(entry["name"], "rb") as held:
            if sha256_of(held) == entry["sha256"]:
                same.add(entry["name"])
            else:
                other.append(entry["name"])
    if other:
        raise CommandError(
            f"The store already holds {len(other)} of the copy's names with other bytes "
            f"({', '.join(other[:3])}): restore into a new, empty store."
        )
    return same


def upload(storage, root: Path, name: str) -> None:
    with open(inside(root, name), "rb") as handle:
        saved = storage.save(name, File(handle, name=name))
    if saved != name:
        raise CommandError(
            f"The store saved {name} as {saved}: the rows name {name}. Restore into a new, "
            "empty store."
        )


# --- The manifest -------------------------------------------------------------------------


def describe(path: Path, name: str) -> dict:
    with open(path, "rb") as handle:
        digest = sha256_of(handle)
    return {"name": name, "size": path.stat().st_size, "sha256": digest}


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise CommandError(
            f"{folder} has no {MANIFEST}: not a Kenshu backup, or one that did not finish."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CommandError(f"{path} cannot be read: {exc}") from exc
    on_disk = {
        path.relative_to(folder / FILES).as_posix()
        for path in (folder / FILES).rglob("*")
        if path.is_file()
    }
    listed = {entry["name"] for entry in manifest["files"]}
    if on_disk != listed:
        raise CommandError(
            f"{folder / FILES} does not hold what {MANIFEST} lists: missing "
            f"{sorted(listed - on_disk)[:3]}, not listed {sorted(on_disk - listed)[:3]}."
        )
    return manifest


def verify(path: Path, entry: dict) -> None:
    if not path.is_file():
        raise CommandError(f"{path} is missing from the copy.")
    with open(path, "rb") as handle:
        digest = sha256_of(handle)
    if digest != entry["sha256"]:
        raise CommandError(
            f"{path} is not the file that was backed up: its sha256 is {digest}, the manifest "
            f"says {entry['sha256']}. Nothing has been restored."
        )


def inside(root: Path, name: str) -> Path:
    """`root`/`name`, refusing a name that would lead out of `root`."""
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()) or path == root.resolve():
        raise CommandError(f"A file name that leads outside the copy: {name!r}")
    return path
