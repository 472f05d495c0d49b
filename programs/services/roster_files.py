"""Reading a roster file, bounded whatever the file claims: CSV (UTF-8, or Shift_JIS as Excel
writes it) or .xlsx, read into (line number, cells) without ever holding more than a roster's
five columns (services/roster.py turns them into rows)."""

import csv
import io
import time
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .roster_rows import COLUMNS, RosterRefused

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024

UNREADABLE = gettext_lazy(
    "This .xlsx file cannot be read as a spreadsheet. Save it again from Excel."
)


# Reading is bounded whatever the file claims: the first WIDTH columns (anything further right
# is only noticed, as "more cells than columns"), physical lines up to LINE_LIMIT (blank lines
# and a header allowed for), the unpacked XML of an .xlsx, and a wall-clock budget.
WIDTH = len(COLUMNS)
LINE_LIMIT = MAX_ROWS + 1_000
MAX_XLSX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_COLUMNS = 16_384  # Excel's last column, XFD: a row with more cells is not a sheet
MAX_CELLS = 500_000  # ten times a full roster's five columns, blank styled cells allowed
READ_SECONDS = 20.0
PROGRESS_EVERY = 500


def _bounded(record: list[str]) -> list[str]:
    """The known columns, plus the first non-empty cell beyond them (if any) as a sixth."""
    extra = next((cell for cell in record[WIDTH:] if cell.strip()), None)
    return record[:WIDTH] + ([extra] if extra is not None else [])


def records(
    data: bytes, filename: str, *, deadline: float = float("inf"), seconds: float = READ_SECONDS
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every line of the file that has a cell, in order."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        yield from _xlsx_records(data, deadline, seconds)
        return
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterRefused(
            _("The file is neither UTF-8 nor Shift_JIS text. Save it as CSV (UTF-8) or .xlsx.")
        )
    if "\x00" in text:
        raise RosterRefused(_("The file is not a CSV text file. Save it as CSV or .xlsx."))
    try:
        for line, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield line, _bounded(record)
    except csv.Error as exc:
        raise RosterRefused(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _column_number(reference: str) -> int:
    """ "AB12" → 28; 0 for a reference without letters."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
        if number > 16_384:  # past Excel's last column (XFD): no cell of ours
            return 16_385
    return number


def _xlsx_records(data: bytes, deadline: float, seconds: float) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as the file stores them, read cell by cell: no padding to the
    dimension the sheet declares (Excel writes A1:XFD1048576 for a sheet once touched at its
    far corner), no empty rows made up for the gaps, no cell kept beyond the five columns, so
    the work follows the cells that are there and memory stays flat however wide a row is.
    openpyxl (its read-only sheet pads both; its row parser builds every cell of a row first)
    only opens the workbook and its shared strings."""
    from xml.etree.ElementTree import ParseError
    from xml.parsers.expat import ExpatError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = str(UNREADABLE)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # Every member counts: the workbook may name its sheet anything.
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                raise RosterRefused(_("This .xlsx file is too large once unpacked."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        OverflowError,
        InvalidFileException,
        ParseError,
    ) as exc:
        raise RosterRefused(unreadable) from exc
    try:
        if not workbook.worksheets:
            raise RosterRefused(unreadable)
        sheet = workbook.worksheets[0]
        with sheet._get_source() as source:
            yield from SheetReader(sheet._shared_strings, deadline, seconds).rows(source)
    except (
        ParseError,
        ExpatError,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        OverflowError,
    ) as exc:
        raise RosterRefused(unreadable) from exc
    finally:
        workbook.close()


class SheetReader:
    """A sheet's XML read as a stream of events (expat, no tree): each row's first five
    cells as text, everything else passed over as it goes by, so memory stays flat however
    many cells a row holds. No DTD and no entity is accepted (what defusedxml refuses)."""

    CHUNK = 64 * 1024

    def __init__(self, strings, deadline: float, seconds: float):
        self.strings, self.deadline, self.seconds = strings, deadline, seconds
        self.line = self.column = self.cells = self.in_row = 0
        self.record: list[str] = []
        self.extra: str | None = None
        self.kind, self.value = "n", None
        self.text: list[str] | None = None  # collecting a <v> or a <t>
        self.phonetic = False  # inside <rPh>: furigana, not part of the text
        self.done: list[tuple[int, list[str]]] = []

    def rows(self, source) -> Iterator[tuple[int, list[str]]]:
        from xml.parsers import expat

        parser = expat.ParserCreate(namespace_separator="}")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        parser.buffer_text = True
        while chunk := source.read(self.CHUNK):
            parser.Parse(chunk, False)
            yield from self.done
            self.done.clear()
            if time.monotonic() > self.deadline:
                raise RosterRefused(too_long(self.seconds))
        parser.Parse(b"", True)
        yield from self.done

    def _refuse(self, *args):
        raise ValueError("a DTD or an entity in a sheet")

    def _start(self, name: str, attributes: dict) -> None:
        tag = name.rpartition("}")[2]
        if tag == "c":
            reference = attributes.get("r")
            self.column = _column_number(reference) if reference else self.column + 1
            self.kind, self.value = attributes.get("t", "n"), None
            self.cells += 1
            self.in_row += 1
            if self.in_row > MAX_COLUMNS or self.cells > MAX_CELLS:
                raise RosterRefused(
                    _(
                        "This sheet holds more cells than a roster can (%(max)s): keep only the "
                        "list of trainees, or save it as CSV."
                    )
                    % {"max": f"{MAX_CELLS:,}"}
                )
        elif tag in ("v", "t") and not self.phonetic:
            if 1 <= self.column <= WIDTH or (self.column > WIDTH and self.extra is None):
                self.text = []
        elif tag == "row":
            reference = attributes.get("r")
            self.line = int(reference) if reference else self.line + 1
            self.column, self.in_row, self.record, self.extra = 0, 0, [""] * WIDTH, None
        elif tag == "rPh":
            self.phonetic = True

    def _characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _end(self, name: str) -> None:
        tag = name.rpartition("}")[2]
        if self.text is not None and tag in ("v", "t"):
            # A value, or one run of an inline string (runs join up).
            self.value = (self.value or "") + "".join(self.text)
            self.text = None
        elif tag == "c":
            text = _xlsx_value(self.kind, self.value, self.strings)
            if 1 <= self.column <= WIDTH:
                self.record[self.column - 1] = text
            elif self.column > WIDTH and self.extra is None and text.strip():
                self.extra = text
        elif tag == "row":
            self.done.append((self.line, self.record + ([self.extra] if self.extra else [])))
        elif tag == "rPh":
            self.phonetic = False


def _xlsx_value(kind: str, value: str | None, strings) -> str:
    """A cell's text as the roster reads it: a shared string by its number, a number without
    a ".0" (Excel stores 12084 as 12084 or 1.2084E4), anything else as written."""
    if value is None:
        return ""
    if kind == "s":
        return str(strings[int(value)])
    if kind == "n":
        try:
            number = float(value)
        except ValueError:
            return value
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return value
    return value


def too_long(seconds: float) -> str:
    return _(
        "Reading this file took too long (%(seconds)s seconds). Save it again "
        "as CSV with only the five columns, and upload that."
    ) % {"seconds": int(seconds)}
