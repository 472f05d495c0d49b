"""Shape a week for the grid template: every position is a CSS class (the Content-Security-
Policy allows no inline styles), every cell a ready string."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .formats import time_range
from .registry import origin_of, planner_of

QUARTER = 15  # minutes per grid row
DEFAULT_START = time(8, 0)
DEFAULT_END = time(20, 0)
MAX_LANES = 4


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _clock(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


@dataclass
class Cell:
    pk: int
    title: str
    times: str
    place: str
    kind: str
    kind_label: str
    facilitator: str
    row_start: int
    row_end: int
    lane: int = 1
    participants: str = ""
    origin_label: str = ""
    origin_url: str = ""
    placeholder: bool = False  # a 予定枠, still to plan
    plan_label: str = ""
    plan_url: str = ""
    start: str = ""  # "09:00", for dragging
    end: str = ""


@dataclass
class Day:
    date: date
    label: str
    is_today: bool
    is_weekend: bool
    cells: list[Cell] = field(default_factory=list)
    lanes: int = 1
    day_off: str = ""  # the national holiday's or the host's closed day's name


@dataclass
class Week:
    days: list[Day]
    first_minute: int
    rows: int
    hours: list[dict]


def layout(
    days: list[date],
    activities,
    *,
    today: date,
    kind_labels: dict,
    participant_names: dict | None = None,
    days_off: dict | None = None,
) -> Week:
    """`activities`: an iterable of Activity rows (facilitator selected). Rows start at the
    earlier of 08:00 and the first activity, end at the later of 20:00 and the last.
    `days_off`: the names of the holidays and closed days among `days`."""
    activities = list(activities)
    first = min([_minutes(DEFAULT_START)] + [_minutes(a.start_time) for a in activities])
    last = max([_minutes(DEFAULT_END)] + [_minutes(a.end_time) for a in activities])
    first -= first % 60
    last += (-last) % 60
    rows = (last - first) // QUARTER
    by_date = _days(days, today, days_off or {})
    names = participant_names or {}
    for a in activities:
        day = by_date.get(a.date)
        if day is None:
            continue
        origin_label, origin_url = origin_of(a) or ("", "")
        placeholder = getattr(a, "placeholder", False)
        plan_label, plan_url = (planner_of(a) if placeholder else None) or ("", "")
        day.cells.append(
            Cell(
                pk=a.pk,
                title=a.title,
                times=time_range(a.start_time, a.end_time),
                place=a.place,
                kind=a.kind,
                kind_label=str(kind_labels.get(a.kind, a.kind)),
                facilitator=a.facilitator.display_name if a.facilitator_id else "",
                row_start=(_minutes(a.start_time) - first) // QUARTER + 1,
                row_end=-(-(_minutes(a.end_time) - first) // QUARTER) + 1,
                participants=names.get(a.pk, ""),
                origin_label=origin_label,
                origin_url=origin_url,
                placeholder=placeholder,
                plan_label=plan_label,
                plan_url=plan_url,
                start=_clock(a.start_time),
                end=_clock(a.end_time),
            )
        )
    for day in by_date.values():
        _assign_lanes(day)
    hours = [
        {
            "label": f"{m // 60:02d}:00",
            "row": (m - first) // QUARTER + 1,
            "time": f"{m // 60:02d}:00",
        }
        for m in range(first, last, 60)
    ]
    return Week(days=list(by_date.values()), first_minute=first, rows=rows, hours=hours)


def _days(days: list[date], today: date, days_off: dict) -> dict[date, Day]:
    return {
        d: Day(
            date=d,
            label=d.strftime("%m/%d"),
            is_today=d == today,
            is_weekend=d.weekday() >= 5,
            day_off=days_off.get(d, ""),
        )
        for d in days
    }


def _assign_lanes(day: Day) -> None:
    """Overlapping activities side by side: the first free lane, at most MAX_LANES."""
    lane_ends: list[int] = []
    for cell in sorted(day.cells, key=lambda c: (c.row_start, c.row_end)):
        for i, end in enumerate(lane_ends):
            if end <= cell.row_start:
                lane_ends[i] = cell.row_end
                cell.lane = i + 1
                break
        else:
            if len(lane_ends) < MAX_LANES:
                lane_ends.append(cell.row_end)
                cell.lane = len(lane_ends)
            else:
                cell.lane = MAX_LANES
    day.lanes = max(1, len(lane_ends))


def shift(d: date, t: time, minutes: int) -> tuple[date, time]:
    moved = datetime.combine(d, t) + timedelta(minutes=minutes)
    return moved.date(), moved.time()
