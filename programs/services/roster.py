"""Bulk enrolment from a roster file: CSV (UTF-8, or Shift_JIS as Excel writes it) or .xlsx,
with the columns name, email, municipality code, department, position.

`read_roster` parses and classifies every row without writing anything; `apply_roster`
writes all rows or none, after checking them again."""

import csv
import io
import logging
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Enrollment, Invitation, Municipality, Program, Role, TraineeProfile, User
from ..plain_text import plain_text_errors
from ..validators import validate_local_government_code, validate_sendable_email
from .programs import ProgramRefused, enroll

logger = logging.getLogger(__name__)

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = ("name", "email", "municipality_code", "department", "position")
HEADER_ALIASES = {
    "name": "name",
    "氏名": "name",
    "名前": "name",
    "email": "email",
    "メールアドレス": "email",
    "メール": "email",
    "municipality code": "municipality_code",
    "municipality_code": "municipality_code",
    "自治体コード": "municipality_code",
    "団体コード": "municipality_code",
    "department": "department",
    "所属": "department",
    "position": "position",
    "職名": "position",
    "役職": "position",
}
LIMITS = {"name": 121, "email": 254, "department": 120, "position": 80}
NAME_PART_LIMIT = 60  # Invitation.family_name and given_name


class RosterRefused(ProgramRefused):
    pass


UNREADABLE = gettext_lazy(
    "This .xlsx file cannot be read as a spreadsheet. Save it again from Excel."
)
UNREADABLE_PREVIEW = gettext_lazy("This preview cannot be read. Upload the file again.")


@dataclass
class RosterRow:
    line: int
    name: str
    email: str
    municipality_code: str
    department: str
    position: str
    status: str = "invalid"  # new | existing | invalid
    errors: list[str] = field(default_factory=list)
    municipality_name: str = ""


@dataclass
class RosterPreview:
    rows: list[RosterRow]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "existing": 0, "invalid": 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def can_apply(self) -> bool:
        return bool(self.rows) and self.counts["invalid"] == 0

    def to_json(self) -> list[dict]:
        return [asdict(r) for r in self.rows]

    @classmethod
    def from_json(cls, data: list[dict]) -> "RosterPreview":
        """Rows as to_json wrote them; anything else (a hand in the database) is refused."""
        try:
            return cls([RosterRow(**r) for r in data])
        except (TypeError, ValueError) as exc:
            raise RosterRefused(UNREADABLE_PREVIEW) from exc


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


def _records(
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
                raise RosterRefused(_too_long(self.seconds))
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


def _too_long(seconds: float) -> str:
    return _(
        "Reading this file took too long (%(seconds)s seconds). Save it again "
        "as CSV with only the five columns, and upload that."
    ) % {"seconds": int(seconds)}


def _header(record: list[str]) -> list[str]:
    names = [HEADER_ALIASES.get(cell.strip().lower()) for cell in record]
    while names and names[-1] is None and not record[len(names) - 1].strip():
        names.pop()
    missing = [c for c in COLUMNS if c not in names]
    unknown = [record[i] for i, n in enumerate(names) if n is None]
    if missing or unknown or len(names) != len(COLUMNS):
        raise RosterRefused(
            _(
                "The first row must name the columns: name, email, municipality code, "
                "department, position (or 氏名, メールアドレス, 自治体コード, 所属, 職名). "
                "Missing: %(missing)s. Not understood: %(unknown)s."
            )
            % {"missing": ", ".join(missing) or "—", "unknown": ", ".join(unknown) or "—"}
        )
    return names


def read_roster(
    program: Program,
    data: bytes,
    filename: str,
    *,
    by: User,
    progress: Callable[[int], None] | None = None,
    seconds: float = READ_SECONDS,
) -> RosterPreview:
    """Parse and classify a roster. Writes nothing (but for what `progress` does with the
    number of lines read so far). Refuses, with a message for the person who uploaded it,
    a file past any of the limits above."""
    if len(data) > MAX_BYTES:
        raise RosterRefused(_("The file is larger than 5 MB."))
    deadline = time.monotonic() + seconds
    header = None
    rows: list[RosterRow] = []
    records = _records(data, filename, deadline=deadline, seconds=seconds)
    for count, (line, record) in enumerate(records, start=1):
        if count % PROGRESS_EVERY == 0:
            if time.monotonic() > deadline:
                raise RosterRefused(_too_long(seconds))
            if progress is not None:
                progress(line)
        blank = not any(cell.strip() for cell in record)
        if line > LINE_LIMIT:
            if blank:
                continue
            raise RosterRefused(
                _(
                    "Row %(line)s has content: a roster is read up to row %(limit)s "
                    "(at most %(max)s trainees). Delete the rows below the list, or split it."
                )
                % {"line": f"{line:,}", "limit": f"{LINE_LIMIT:,}", "max": f"{MAX_ROWS:,}"}
            )
        if blank:
            continue
        if header is None:
            header = _header(record)
            continue
        if len(rows) >= MAX_ROWS:
            raise RosterRefused(_("A roster has at most %(max)s rows.") % {"max": f"{MAX_ROWS:,}"})
        values = dict.fromkeys(COLUMNS, "")
        extra = record[len(header) :]
        for name, cell in zip(header, record, strict=False):
            values[name] = cell.strip()
        code = values["municipality_code"]
        if code.isdigit() and len(code) == 5:  # Excel drops the leading zero (北海道: 01…)
            values["municipality_code"] = "0" + code
        row = RosterRow(line=line, **values)
        if any(cell.strip() for cell in extra):
            row.errors.append(_("More cells than columns."))
        rows.append(row)
    if header is None:
        raise RosterRefused(_("The file is empty."))
    if not rows:
        raise RosterRefused(_("The file has a header but no trainees."))
    classify(program, rows, by=by)
    return RosterPreview(rows)


def classify(program: Program, rows: list[RosterRow], *, by: User) -> None:
    """Mark each row new, existing or invalid, with its reasons. A constant number of queries
    whatever the number of rows."""
    seen: dict[str, int] = {}
    codes = {r.municipality_code for r in rows}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    # Named once each: a municipality's name looks up its prefecture's translated label.
    names = {code: str(m) for code, m in municipalities.items()}
    emails = {r.email.lower() for r in rows}
    known = {
        p.user.email.lower(): p
        for p in TraineeProfile.objects.visible_to(by)
        .filter(user__email__in=emails)
        .select_related("user")
    }
    enrolled = set(
        Enrollment.objects.active()
        .filter(program=program, trainee__email__in=emails)
        .values_list("trainee__email", flat=True)
    )
    invited = set(
        Invitation.objects.pending()
        .filter(program=program, email__in=emails)
        .values_list("email", flat=True)
    )
    labels = {"name": _("Name"), "department": _("Department"), "position": _("Position")}
    for row in rows:
        row.email = row.email.lower()
        for name, limit in LIMITS.items():
            if len(getattr(row, name)) > limit:
                row.errors.append(_("%(column)s is too long.") % {"column": name})
        if not row.name:
            row.errors.append(_("The name is missing."))
        # What the invitation will refuse, said here (an Excel cell with Alt+Enter holds a
        # line break): a preview that says "new" must apply.
        texts = {name: getattr(row, name) for name in labels}
        for name, problem in plain_text_errors(texts).items():
            row.errors.append(
                _("%(column)s: %(problem)s") % {"column": labels[name], "problem": problem}
            )
        if any(len(part) > NAME_PART_LIMIT for part in split_name(row.name)):
            row.errors.append(
                _("The family name and the given name have at most %(limit)s characters each.")
                % {"limit": NAME_PART_LIMIT}
            )
        try:
            validate_sendable_email(row.email)
        except ValidationError as error:
            if error.code == "invalid":
                row.errors.append(_("“%(email)s” is not an email address.") % {"email": row.email})
            else:  # why it cannot be sent, the characters named (a bidi override would hide)
                row.errors.extend(error.messages)
        if row.email in seen:
            row.errors.append(_("The same address as row %(line)s.") % {"line": seen[row.email]})
        else:
            seen[row.email] = row.line
        municipality = None
        try:
            validate_local_government_code(row.municipality_code)
        except ValidationError as error:
            row.errors.extend(error.messages)
        else:
            municipality = municipalities.get(row.municipality_code)
            if municipality is None:
                row.errors.append(
                    _("No municipality has the code %(code)s in the registry.")
                    % {"code": row.municipality_code}
                )
            else:
                row.municipality_name = names[row.municipality_code]
        if row.email in enrolled:
            row.errors.append(_("Already enrolled in this program."))
        elif row.email in invited:
            row.errors.append(_("Already invited to this program."))
        registered = known.get(row.email)
        if registered and municipality and registered.municipality_id != municipality.pk:
            row.errors.append(
                _("Registered as a trainee of %(registered)s, not of %(other)s.")
                % {"registered": registered.municipality, "other": municipality}
            )
        if row.errors:
            row.status = "invalid"
        elif registered:
            row.status = "existing"
        else:
            row.status = "new"


def split_name(name: str) -> tuple[str, str]:
    """ "田中 翔" or "田中　翔" → ("田中", "翔"); a name without a space is a family name."""
    parts = name.replace("\u3000", " ").split(None, 1)
    return (parts[0], parts[1] if len(parts) > 1 else "") if parts else ("", "")


def apply_roster(
    program: Program, preview: RosterPreview, *, by: User, ip: str | None = None
) -> dict:
    """Enrol the existing trainees and invite the new ones: every row or none. Rows are
    classified again first; anything that changed since the preview refuses the whole file."""
    from .invitations import create_invitation

    rows = [RosterRow(**{**asdict(r), "errors": [], "status": "invalid"}) for r in preview.rows]
    with transaction.atomic():
        classify(program, rows, by=by)
        if any(r.status == "invalid" for r in rows):
            raise RosterRefused(
                _(
                    "Some rows are no longer valid (the roster changed since the preview). "
                    "Upload the file again."
                )
            )
        municipalities = {
            m.code: m
            for m in Municipality.objects.filter(code__in={r.municipality_code for r in rows})
        }
        trainees = {
            u.email.lower(): u
            for u in User.objects.filter(
                email__in=[r.email for r in rows if r.status == "existing"]
            )
        }
        for row in rows:
            if row.status == "existing":
                enroll(program, trainees[row.email], by=by, ip=ip)
            else:
                family, given = split_name(row.name)
                create_invitation(
                    invited_by=by,
                    email=row.email,
                    role=Role.TRAINEE,
                    host_company=program.host,
                    municipality=municipalities[row.municipality_code],
                    family_name=family,
                    given_name=given,
                    department=row.department,
                    position=row.position,
                    program=program,
                    ip=ip,
                )
    counts = {"existing": 0, "new": 0}
    for row in rows:
        counts[row.status] += 1
    return counts


PREVIEW_HOURS = 24  # an unconfirmed preview (names, addresses) is forgotten after this
READING_MINUTES = 5  # a file still "being read" after this: its reader stopped (killed)


def preview_expired(roster_import, *, now) -> bool:
    return roster_import.created_at < now - timedelta(hours=PREVIEW_HOURS)


def reading_stopped(roster_import, *, now) -> bool:
    """Still being read long after the upload: the worker reading it was stopped (out of
    memory, a restart) and the task is not delivered again (reject_on_worker_lost off)."""
    return roster_import.state == "reading" and roster_import.created_at < now - timedelta(
        minutes=READING_MINUTES
    )


def start_reading(program: Program, data: bytes, filename: str, *, by: User, ip: str | None = None):
    """Keep the uploaded file and let a worker read it: no web request parses a file, so no
    file, however it is made, holds a web thread. The page shows the reading's progress."""
    from ..models import RosterImport
    from ..tasks import read_roster_import
    from .activity_log import record_activity

    if len(data) > MAX_BYTES:
        raise RosterRefused(_("The file is larger than 5 MB."))
    roster_import = RosterImport.objects.create(
        program=program,
        requested_by=by,
        filename=filename[:255],
        upload=data,
        state=RosterImport.State.READING,
    )
    record_activity(
        by,
        "roster.uploaded",
        program,
        host_company=program.host,
        data={"bytes": len(data), "import": roster_import.pk},
        ip=ip,
    )
    read_roster_import.delay_on_commit(roster_import.pk)
    return roster_import


def run_roster_read(import_id: int, *, seconds: float = READ_SECONDS) -> None:
    """The worker's side of reading: parse and classify the kept file into a preview (or a
    refusal), then drop the file. Safe to run twice: only a file still being read is read."""
    from ..models import RosterImport

    roster_import = (
        RosterImport.objects.select_related("program", "requested_by")
        .filter(pk=import_id, state=RosterImport.State.READING)
        .first()
    )
    if roster_import is None or roster_import.upload is None:
        return

    def progress(lines: int) -> None:
        RosterImport.objects.filter(pk=import_id).update(lines_read=lines)

    try:
        preview = read_roster(
            roster_import.program,
            bytes(roster_import.upload),
            roster_import.filename,
            by=roster_import.requested_by,
            progress=progress,
            seconds=seconds,
        )
    except RosterRefused as refused:
        changes = {"state": RosterImport.State.REFUSED, "error": refused.message, "rows": []}
    except Exception:  # whatever else the file provokes, the page says it cannot be read
        logger.exception("Roster %s could not be read", import_id)
        changes = {"state": RosterImport.State.REFUSED, "error": str(UNREADABLE), "rows": []}
    else:
        changes = {"state": RosterImport.State.PREVIEW, "rows": preview.to_json()}
    RosterImport.objects.filter(pk=import_id, state=RosterImport.State.READING).update(
        upload=None, **changes
    )


def confirm_roster(roster_import, *, by: User, now, ip: str | None = None) -> None:
    """Queue a previewed roster for the worker to apply. Once only: a second click, another
    tab or another coordinator finds it queued already."""
    from ..models import RosterImport
    from ..tasks import apply_roster_import
    from .activity_log import record_activity

    if roster_import.state in (RosterImport.State.READING, RosterImport.State.REFUSED):
        raise RosterRefused(_("This file has no preview to confirm. Upload it again."))
    if roster_import.state != RosterImport.State.PREVIEW:
        raise RosterRefused(_("This roster has already been confirmed."))
    if preview_expired(roster_import, now=now):
        raise RosterRefused(_("The preview has expired. Upload the file again."))
    preview = RosterPreview.from_json(roster_import.rows)
    if not preview.can_apply:
        raise RosterRefused(_("Correct the invalid rows in the file and upload it again."))
    with transaction.atomic():
        claimed = RosterImport.objects.filter(
            pk=roster_import.pk, state=RosterImport.State.PREVIEW
        ).update(state=RosterImport.State.QUEUED, requested_by=by)
        if not claimed:
            raise RosterRefused(_("This roster has already been confirmed."))
        record_activity(
            by,
            "roster.queued",
            roster_import.program,
            host_company=roster_import.program.host,
            data={"rows": len(preview.rows), "import": roster_import.pk},
            ip=ip,
        )
        apply_roster_import.delay_on_commit(roster_import.pk)


def queue_roster(program: Program, preview: RosterPreview, *, by: User, ip: str | None = None):
    """Keep already-read rows and let a worker apply them (a roster may have 10,000 rows:
    no request waits for that). For callers holding a preview of their own (scripts, tests);
    the pages go through start_reading and confirm_roster."""
    from ..models import RosterImport
    from ..tasks import apply_roster_import
    from .activity_log import record_activity

    roster_import = RosterImport.objects.create(
        program=program, requested_by=by, rows=preview.to_json(), state=RosterImport.State.QUEUED
    )
    record_activity(
        by,
        "roster.queued",
        program,
        host_company=program.host,
        data={"rows": len(preview.rows), "import": roster_import.pk},
        ip=ip,
    )
    apply_roster_import.delay_on_commit(roster_import.pk)
    return roster_import


def forget_old_previews(*, now) -> int:
    """Drop previews nobody confirmed, and files a worker never read, after PREVIEW_HOURS:
    they hold names and addresses that were never used."""
    from ..models import RosterImport

    deleted, _by_model = RosterImport.objects.filter(
        state__in=[
            RosterImport.State.PREVIEW,
            RosterImport.State.READING,
            RosterImport.State.REFUSED,
        ],
        created_at__lt=now - timedelta(hours=PREVIEW_HOURS),
    ).delete()
    return deleted


def run_roster_import(import_id: int) -> None:
    """The worker's side: claim the import once, apply it, record the outcome on the row."""
    from django.utils import timezone

    from ..models import RosterImport

    claimed = RosterImport.objects.filter(pk=import_id, state=RosterImport.State.QUEUED).update(
        state=RosterImport.State.RUNNING
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related("program", "requested_by").get(pk=import_id)
    try:
        counts = apply_roster(
            roster_import.program,
            RosterPreview.from_json(roster_import.rows),
            by=roster_import.requested_by,
        )
    except ProgramRefused as refused:
        roster_import.state, roster_import.error = RosterImport.State.FAILED, refused.message
    except Exception:  # never left "being applied": nothing was written (all or none)
        logger.exception("Roster %s could not be applied", import_id)
        roster_import.state = RosterImport.State.FAILED
        roster_import.error = str(
            _(
                "The roster could not be applied. Upload the file again; if it happens "
                "again, ask the operators."
            )
        )
    else:
        roster_import.state = RosterImport.State.DONE
        roster_import.enrolled, roster_import.invited = counts["existing"], counts["new"]
    roster_import.finished_at = timezone.now()
    roster_import.save()
