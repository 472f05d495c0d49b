"""The rows of a roster: its columns, each row with its status and reasons, the preview
kept between reading and applying, and the checks that classify a row new, existing or
invalid (services/roster.py reads and applies; services/roster_files.py reads the file)."""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Enrollment, Invitation, Municipality, Program, TraineeProfile, User
from ..plain_text import plain_text_errors
from ..selectors.municipalities import Resolved, abolished_message, normalize, resolve
from ..validators import validate_sendable_email
from .programs import ProgramRefused

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


def read_header(record: list[str]) -> list[str]:
    """The column of each cell of the first row, or a refusal naming what is missing."""
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


def classify(program: Program, rows: list[RosterRow], *, by: User) -> None:
    """Mark each row new, existing or invalid, with its reasons. A constant number of queries
    whatever the number of rows."""
    known = _Known.of(program, rows, by)
    seen: dict[str, int] = {}
    labels = {"name": _("Name"), "department": _("Department"), "position": _("Position")}
    for row in rows:
        row.email = row.email.lower()
        _check_texts(row, labels)
        _check_email(row, seen)
        municipality = _check_municipality(row, known)
        registered = _check_program(row, known, municipality)
        if row.errors:
            row.status = "invalid"
        elif registered:
            row.status = "existing"
        else:
            row.status = "new"


@dataclass
class _Known:
    """What the database holds about a roster's rows, read once for all of them."""

    municipalities: dict[str, Municipality]
    registered: dict[str, TraineeProfile]
    enrolled: set[str]
    invited: set[str]
    resolved: dict[str, Resolved] = field(default_factory=dict)

    @classmethod
    def of(cls, program: Program, rows: list[RosterRow], by: User) -> "_Known":
        # The six-digit codes in one query; a name, a reading or a shorter code is looked up
        # once per distinct text (a roster names few municipalities).
        codes = {normalize(r.municipality_code) for r in rows}
        municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
        emails = {r.email.lower() for r in rows}
        registered = {
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
        return cls(municipalities, registered, enrolled, invited)

    def municipality(self, text: str) -> Resolved:
        """The municipality the cell names (code, name or reading), or why not; each distinct
        text resolved once."""
        if text not in self.resolved:
            self.resolved[text] = self._resolve(normalize(text))
        return self.resolved[text]

    def _resolve(self, text: str) -> Resolved:
        found = self.municipalities.get(text)
        if found is not None:
            return (
                Resolved(None, abolished_message(found)) if found.is_abolished else Resolved(found)
            )
        if text.isascii() and text.isdigit() and len(text) == 5:
            # Excel drops a leading zero (北海道: 01…); else five digits are a code without
            # its check digit.
            with_zero = resolve("0" + text)
            if with_zero.municipality is not None:
                return with_zero
        return resolve(text)


def _check_texts(row: RosterRow, labels: dict) -> None:
    """The lengths, the name, and the characters the invitation would refuse."""
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


def _check_email(row: RosterRow, seen: dict[str, int]) -> None:
    """An address mail reaches, once in the file (`seen`: the line of each address so far)."""
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


def _check_municipality(row: RosterRow, known: _Known) -> Municipality | None:
    """The municipality the row's 自治体コード cell names: a code, a name or a reading. The
    row keeps its code from here on (the confirmation looks it up by code)."""
    resolved = known.municipality(row.municipality_code)
    if resolved.municipality is None:
        row.errors.append(resolved.error)
        return None
    row.municipality_code = resolved.municipality.code
    row.municipality_name = str(resolved.municipality)
    return resolved.municipality


def _check_program(
    row: RosterRow, known: _Known, municipality: Municipality | None
) -> TraineeProfile | None:
    """Not in the program already; the trainee registered under the address, if any, in the
    row's municipality."""
    if row.email in known.enrolled:
        row.errors.append(_("Already enrolled in this program."))
    elif row.email in known.invited:
        row.errors.append(_("Already invited to this program."))
    registered = known.registered.get(row.email)
    if registered and municipality and registered.municipality_id != municipality.pk:
        row.errors.append(
            _("Registered as a trainee of %(registered)s, not of %(other)s.")
            % {"registered": registered.municipality, "other": municipality}
        )
    return registered


def split_name(name: str) -> tuple[str, str]:
    """ "田中 翔" or "田中　翔" → ("田中", "翔"); a name without a space is a family name."""
    parts = name.replace("\u3000", " ").split(None, 1)
    return (parts[0], parts[1] if len(parts) > 1 else "") if parts else ("", "")
