"""What the core asks its neighbours, without knowing their names.

Pages and jobs that gather from several apps (a trainee's "today", a program's page, the
reminder dispatcher) ask here; each app registers its answers, from its `registry_hooks.py`, in
its `AppConfig.ready()`. A new app plugs in the same way, and `programs` never imports it.

- `due_for(user, now)`: what waits for a person at `now`, the caller's moment (a
  reflection to write, a survey to answer, unread feedback), as `DueItem`s.
- `program_sections(user, program)`: links a program's page shows for this person (the
  reflections matrix, the survey results), as `ProgramSection`s.
- `seed_demo(context)`: each app adds its part of the demo.
- `origin_of(activity)`: the page of the record a derived activity comes from (a trip).
- `date_problem(program)`: what new program dates would leave outside (a trip).
- `nav_links(roles)`: the main navigation, each app's links for the roles a person holds.
- `own_writing(enrollment)`: what a trainee filed in other apps (a 復命書's 所感 and 活用),
  which the 研修報告書's first draft starts from.
- `publish_checks(program, today)`: what other apps say is ready or missing before a
  program is published (a trip planned), as `ChecklistItem`s.
- `names_trainees(user, program, municipality)`: whether someone outside the host may invite
  a municipality's trainees into a program (the contact of a scheme match names its staff).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DueItem:
    """One thing waiting for a person. `state` is one of "due", "late", "open" (a survey
    taking answers), "info" (something to read or attend: no state shown), "unread", "todo";
    `state_label`, when given, is the item's own state words, shown instead of the state's
    (「明日出発」, 「出張中」, 「予定 12/6 14:00」); `order` sorts the list (smaller first).
    `offline`: the page is one the trainee's phone keeps for offline use (a form being
    written, an itinerary; programs/offline.py)."""

    kind: str
    title: str
    url: str
    state: str = "due"
    deadline: datetime | None = None
    detail: str = ""
    order: int = 50
    state_label: str = ""
    offline: bool = False


@dataclass(frozen=True)
class ProgramSection:
    """A link on a program's page, with an optional count shown beside it."""

    title: str
    url: str
    detail: str = ""
    order: int = 50


DueProvider = Callable[[object, datetime], Iterable[DueItem]]
SectionProvider = Callable[[object, object], Iterable[ProgramSection]]

_due: list[DueProvider] = []
_sections: list[SectionProvider] = []


def register_due(provider: DueProvider) -> DueProvider:
    if provider not in _due:
        _due.append(provider)
    return provider


def register_program_sections(provider: SectionProvider) -> SectionProvider:
    if provider not in _sections:
        _sections.append(provider)
    return provider


def due_for(user, now: datetime) -> list[DueItem]:
    """Every app's answer for `user` at `now` (aware; the caller reads the clock once)."""
    items = [item for provider in _due for item in provider(user, now)]
    return sorted(
        items,
        key=lambda item: (
            item.order,
            item.deadline.timestamp() if item.deadline else float("inf"),
            item.title,
        ),
    )


def program_sections(user, program) -> list[ProgramSection]:
    sections = [section for provider in _sections for section in provider(user, program)]
    return sorted(sections, key=lambda section: (section.order, section.title))


# Demo data: `seed_demo` seeds the core, then asks each app to add its own rows. ----------

DemoSeeder = Callable[[dict], int]
_seeders: list[DemoSeeder] = []


def register_demo_seeder(seeder: DemoSeeder) -> DemoSeeder:
    if seeder not in _seeders:
        _seeders.append(seeder)
    return seeder


def seed_demo(context: dict) -> int:
    """`context` names the demo's programs and people; each seeder returns the rows it
    created (0 when its rows are already there)."""
    return sum(seeder(context) for seeder in _seeders)


# Reminders: each app says which reminders it has, who is due now, and what to write. -----


@dataclass(frozen=True)
class DueReminder:
    """One reminder due to one person now. `key` is unique per occasion (kind, recipient,
    object, date): the dispatcher writes one row per key, whatever beat or retries do."""

    kind: str
    key: str
    recipient_id: int
    url: str
    due_at: datetime
    program_id: int | None = None
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderMessage:
    subject: str
    lines: tuple[str, ...]
    action: str  # the link's label
    attachments: tuple[tuple[str, bytes, str], ...] = ()  # (file name, content, MIME type)


@dataclass(frozen=True)
class Reminder:
    """A kind of reminder. `find(now)` yields what is due; `still_due(rows, now)` returns
    the ids of notification rows that are still worth sending at `now` (a reflection
    submitted since, a trainee withdrawn, a deadline passed); `message(row)` writes it, in
    the active language. Both take `now` from the sender, never from the clock."""

    kind: str
    label: object
    find: Callable[[datetime], Iterable[DueReminder]]
    still_due: Callable[[list, datetime], set]
    message: Callable[[object], ReminderMessage | None]
    audience: str = "trainee"  # or "host": whose settings page lists it


_reminders: dict[str, Reminder] = {}


def register_reminder(reminder: Reminder) -> Reminder:
    _reminders[reminder.kind] = reminder
    return reminder


def reminders() -> dict[str, Reminder]:
    return dict(_reminders)


# Activities derived from another app's record (a trip's legs, a seminar) -----------------


@dataclass(frozen=True)
class ActivityOrigin:
    """Where a derived activity is changed: `url(program_id, object_id)` is the page of the
    record named by the activity's `origin` ("<prefix>:<object_id>"); `label` says what it is."""

    prefix: str
    label: object
    url: Callable[[int, int], str]


_origins: dict[str, ActivityOrigin] = {}


def register_activity_origin(origin: ActivityOrigin) -> ActivityOrigin:
    _origins[origin.prefix] = origin
    return origin


def origin_of(activity) -> tuple[str, str] | None:
    """(label, url) of the record a derived activity comes from; None for a typed one."""
    if not activity.origin:
        return None
    prefix, _sep, object_id = activity.origin.partition(":")
    known = _origins.get(prefix)
    if known is None or not object_id.isdigit():
        return None
    return str(known.label), known.url(activity.program_id, int(object_id))


# Placeholders (予定枠) of the week and where each is planned (a trip, a seminar) ---------


@dataclass(frozen=True)
class PlaceholderPlanner:
    """Where a placeholder of `kind` is planned: `url(program_id, placeholder_id)` opens the
    form that takes its dates, times and places; `label` is the button's words."""

    kind: str
    label: object
    url: Callable[[int, int], str]


_planners: dict[str, PlaceholderPlanner] = {}


def register_placeholder_planner(planner: PlaceholderPlanner) -> PlaceholderPlanner:
    _planners[planner.kind] = planner
    return planner


def planner_of(activity) -> tuple[str, str] | None:
    """(label, url) of the form that plans a placeholder; None for anything else."""
    planner = _planners.get(activity.kind) if activity.placeholder else None
    if planner is None:
        return None
    return str(planner.label), planner.url(activity.program_id, activity.pk)


# Rules a program's new dates must keep (a trip must stay inside its program) --------------

DateCheck = Callable[[object], str | None]
_date_checks: list[DateCheck] = []


def register_date_check(check: DateCheck) -> DateCheck:
    if check not in _date_checks:
        _date_checks.append(check)
    return check


def date_problem(program) -> str | None:
    """What the program's new start and end dates would leave outside, said for a person;
    None when every app's records still fit."""
    return next((found for check in _date_checks if (found := check(program))), None)


# Who else names a program's trainees (the scheme's municipality contact) ---------------

TraineeNamer = Callable[[object, object, object], bool]
_trainee_namers: list[TraineeNamer] = []


def register_trainee_namer(check: TraineeNamer) -> TraineeNamer:
    if check not in _trainee_namers:
        _trainee_namers.append(check)
    return check


def names_trainees(user, program, municipality) -> bool:
    """Whether an app lets `user`, who is not the host's coordinator, invite `municipality`'s
    trainees into `program` (read from the database on every call, like every right)."""
    if program is None or not (user.is_authenticated and user.is_active):
        return False
    return any(check(user, program, municipality) for check in _trainee_namers)


# The main navigation: each app adds its links, for the roles that see them --------------


@dataclass(frozen=True)
class NavLink:
    """A link of the site's header. `roles` (any of "host", "supervisor", "trainee",
    "office") say who sees it; `url_name` is where it goes and, with `current`, the pages it
    marks as the one being read. The office's first link is its home."""

    title: object
    url_name: str
    roles: tuple[str, ...]
    order: int = 50
    current: tuple[str, ...] = ()


_nav: list[NavLink] = []


def register_nav(link: NavLink) -> NavLink:
    if link not in _nav:
        _nav.append(link)
    return link


def nav_links(roles: dict) -> list[NavLink]:
    """The links for a person holding `roles` (programs.access.roles_of), in order."""
    shown = [link for link in _nav if any(roles.get(role) for role in link.roles)]
    return sorted(shown, key=lambda link: link.order)


# A trainee's own filed writing in another app (a 復命書's 所感 and 活用), which the
# 研修報告書's first draft starts from -------------------------------------------------------


@dataclass(frozen=True)
class OwnWriting:
    """Text the trainee of an enrolment filed (submitted) elsewhere: `title` names where it
    comes from (e.g. 「復命書（箕輪町出張）」), `on` is its date (for the order)."""

    title: str
    impressions: str
    application: str
    on: object = None


WritingProvider = Callable[[object], Iterable[OwnWriting]]
_writings: list[WritingProvider] = []


def register_own_writing(provider: WritingProvider) -> WritingProvider:
    if provider not in _writings:
        _writings.append(provider)
    return provider


def own_writing(enrollment) -> list[OwnWriting]:
    """What the enrolment's trainee filed in every app, oldest first."""
    found = [item for provider in _writings for item in provider(enrollment)]
    return sorted(found, key=lambda item: (item.on is None, str(item.on or ""), item.title))


# Before publishing: what each app says is ready or missing (a trip planned) -------------


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the checklist shown before a program is published: `ok` (ready) or not
    (a warning: publishing is still allowed), a short `text`, and where to put it right
    (`url`, named by `action`). `order` sorts the list (smaller first)."""

    ok: bool
    text: str
    url: str = ""
    action: str = ""
    order: int = 50


PublishCheck = Callable[[object, object], Iterable[ChecklistItem]]
_publish_checks: list[PublishCheck] = []


def register_publish_check(check: PublishCheck) -> PublishCheck:
    if check not in _publish_checks:
        _publish_checks.append(check)
    return check


def publish_checks(program, today) -> list[ChecklistItem]:
    """Every app's lines for `program` on `today` (the caller's day)."""
    return [item for check in _publish_checks for item in check(program, today)]
