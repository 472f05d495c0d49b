"""manage.py backup DEST_DIR: a copy of this installation in DEST_DIR/kenshu-<UTC time>/.

It holds `database.dump` (PostgreSQL: pg_dump's custom format, without owners or grants) or
`database.sqlite3` (SQLite: sqlite3's online backup), then `files/` with every file of the
store (the local disk or the S3-compatible store, as the settings say), then `manifest.json`:
when, which database, the last migration of each app, and each file's name, size and sha256.

The database first, then the files (programs/backup.py says why, and what a file deleted in
between means). The manifest is written last: a folder without one is a copy that did not
finish."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from programs.backup import make_backup


class Command(BaseCommand):
    help = (
        "Copy the database, then every stored file, into DEST_DIR/kenshu-<UTC time>/ with a "
        "manifest of what it holds (restore it with `manage.py restore`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, metavar="DEST_DIR")

    def handle(self, *args, destination: Path, **options):
        done = make_backup(
            destination, connection=connection, storage=default_storage, now=timezone.now()
        )
        self.stdout.write(
            f"Backed up the database and {done.files} files ({done.bytes} bytes) to {done.folder}"
        )
