"""manage.py load_registry: load the registry of local governments again, after a merger (合併)
or to see what a new data file changes. Every `migrate` already loads a changed file."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programs.services.registry import DATA_FILE, data_version, load_registry, read_data_file


class Command(BaseCommand):
    help = (
        "Load the registry of local governments from the shipped data file (or another): new "
        "codes are added, changed names updated, codes the file no longer lists marked 廃止."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="a data file to load")
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="the day a code that left the list is retired (default: today, Asia/Tokyo)",
        )

    def handle(self, *args, file: Path, date, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        source, entries = read_data_file(file)
        version = data_version(file) if file == DATA_FILE else ""
        loaded = load_registry(entries, today=date or timezone.localdate(), version=version)
        self.stdout.write(f"{file.name} ({source}): {loaded}")
