"""manage.py restore BACKUP_DIR: a copy made by `manage.py backup` into a new, empty database
and the store (the local disk or the S3-compatible store, as the settings say).

It refuses a database that already has Kenshu's tables. Before writing anything it checks the
copy against its manifest (each file's sha256) and that the store holds none of its names with
other bytes, and that the copy was not made by a later version of Kenshu. Then it stores every
file under the name it had, which the rows name, and restores the database (pg_restore in one
transaction, or the SQLite file put in place): stopped half way, it runs again as it is. The
dump carries the schema: no `migrate` is needed after it, with the same version of Kenshu."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection

from programs.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a copy made by `manage.py backup` (its kenshu-<UTC time> folder) into a new, "
        "empty database and the store."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, metavar="BACKUP_DIR")

    def handle(self, *args, folder: Path, **options):
        done = restore_backup(folder, connection=connection, storage=default_storage)
        kept = f"; {done.kept} of them were already in the store" if done.kept else ""
        self.stdout.write(
            f"Restored the database and {done.files} files ({done.bytes} bytes) from "
            f"{done.folder}{kept}"
        )
