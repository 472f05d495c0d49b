"""What the host's reading pages read: the trainees × days matrix of a program and the
inbox of new submissions. Both name the program or the hosts in their queries (the view has
checked the person works for them) and send them together (programs.compiled)."""

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.jinja2 import url_by_pk
from programs import calendar_days
from programs.compiled import CompiledQuery, run_together
from programs.models import Activity, Enrollment

from ..cells import DayLabels, Escape, display_name
from ..models import DailyReflection, ReflectionComment, ReflectionStatus, day_state
from ..registry_hooks import WAITING_FOR_REVIEW
from ..services.reflections import deadline_of, reflection_days
from .reflections import state_label

MATRIX_ROWS = CompiledQuery(
    lambda program_id: (
        Enrollment.objects.active()
        .filter(program_id=program_id)
        .order_by("trainee__family_name_kana", "trainee__email", "pk")
        .values_list(
            "pk",
            "trainee__family_name",
            "trainee__given_name",
            "trainee__email",
            "municipality__name",
            "reflections__pk",
            "reflections__date",
            "reflections__status",
            "reflections__late",
        )
        .annotate(comment_count=Count("reflections__comments"))
    )
)
LIVE_ACTIVITY_DATES = CompiledQuery(
    lambda program_id: (
        Activity.objects.on_the_grid().filter(program_id=program_id).values_list("date")
    )
)


def _matrix_rows(program) -> tuple[list, dict]:
    """The program's reflection days, and per active enrolment its trainee's name, their
    municipality and their reflections by day (pk, status, late, comments)."""
    days_off = calendar_days.days_off_of(program)
    day_off = any(not calendar_days.is_working_day(day, days_off) for day in program.days)
    # One row per (enrolment, reflection); an enrolment without reflections gives one row
    # with no reflection. Both queries are compiled once per connection (programs.compiled)
    # and sent together (one round trip on PostgreSQL).
    pending = [MATRIX_ROWS.later(program.pk)]
    if day_off:
        pending.append(LIVE_ACTIVITY_DATES.later(program.pk))
    found, *dates = run_together(pending)
    activity_dates = {day for (day,) in dates[0]} if dates else set()
    days = reflection_days(program, activity_dates, days_off)
    enrollments: dict[int, list] = {}
    for pk, family, given, email, municipality, r_pk, r_date, status, late, comments in found:
        entry = enrollments.get(pk)
        if entry is None:
            entry = enrollments[pk] = [display_name(family, given, email), municipality, {}]
        if r_pk is not None:
            entry[2][r_date] = (r_pk, status, late, comments)
    return days, enrollments


def _matrix_columns(program, days, today, now) -> list:
    """Per day: the day, its label and the state of a day without a reflection."""
    labels = DayLabels()
    columns = []
    for day in days:
        if day > today:
            empty = "upcoming"
        else:
            empty = "missing" if deadline_of(program, day) < now else "due"
        columns.append((day, labels[day], empty))
    return columns


def _matrix_table(enrollments: dict, columns: list) -> tuple[list, list]:
    """(name, municipality, cells) per trainee, each cell (state, label, url, comments,
    day), escaped once; and the submitted reflections per day."""
    detail_url = url_by_pk("trainees:reflection_detail")
    state_labels = {}
    submitted_per_day = [0] * len(columns)
    escaped = Escape()
    table = []
    for name, municipality, reflections in enrollments.values():
        cells = []
        for i, (day, label, empty) in enumerate(columns):
            found_row = reflections.get(day)
            url = ""
            comments = 0
            if found_row is None:
                state = empty
            else:
                r_pk, status, late, count = found_row
                state = day_state(status, late)
                if status != ReflectionStatus.DRAFT:
                    url = detail_url(r_pk)
                    comments = count
                    submitted_per_day[i] += 1
            text = state_labels.get(state)
            if text is None:
                text = state_labels[state] = state_label(state)
            cells.append(escaped.row(state, text, url, comments, label))
        table.append((escaped[name], escaped[municipality], cells))
    return table, submitted_per_day


def matrix_context(program) -> dict:
    """One query for the trainees and their reflections' states (and one for the activity
    dates when the program has a weekend). The person works for the program's host
    (`get_host_program` checked it on this request), so every active enrolment of the program
    and every reflection's state is theirs to see, as `Enrollment.objects.visible_to` and
    `DailyReflection.objects.states_visible_to` give them: the queries name the program
    instead of repeating those scoped subqueries. Drafts show as a state, never as a link."""
    days, enrollments = _matrix_rows(program)
    today = timezone.localdate()
    columns = _matrix_columns(program, days, today, timezone.now())
    table, submitted_per_day = _matrix_table(enrollments, columns)
    return {
        "days": [
            {"label": label, "today": day == today, "submitted": submitted_per_day[i]}
            for i, (day, label, _empty) in enumerate(columns)
        ],
        "table": table,
        "trainee_count": len(enrollments),
    }


INBOX_PAGE = 50  # reflections a page, oldest waiting first


def _inbox_rows(host_ids: list[int]):
    comments = (
        ReflectionComment.objects.filter(reflection=OuterRef("pk"))
        .order_by()
        .values("reflection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        DailyReflection.objects.filter(
            status=ReflectionStatus.SUBMITTED, enrollment__program__host_id__in=host_ids
        )
        .order_by("submitted_at", "pk")  # the pk settles ties: the same 200 every time
        .values_list(
            "pk",
            "date",
            "late",
            "submitted_at",
            "self_rating",
            "enrollment__trainee__family_name",
            "enrollment__trainee__given_name",
            "enrollment__trainee__email",
            "enrollment__municipality__name",
            "enrollment__program__title",
            Coalesce(Subquery(comments, output_field=IntegerField()), 0),
        )
    )


# The first page, and the count of all waiting, compiled once per connection
# (programs.compiled) and sent together; the other pages through the ORM.
INBOX_FIRST_PAGE = CompiledQuery(lambda hosts: _inbox_rows(hosts)[:INBOX_PAGE])


def inbox_context(host_ids, number: int) -> dict:
    """A page of the submitted (not yet reviewed) reflections of the person's hosts'
    programs, oldest first, and how many wait in all. `host_ids` are the hosts the person
    works for (read from the database on this request): every submitted reflection of their
    programs is one `DailyReflection.objects.visible_to` gives them, so the queries name the
    hosts instead of repeating the scoped subqueries. Only the columns printed are fetched
    (no text). A page past the last shows the last."""
    hosts = sorted(host_ids)
    counted, waiting = run_together(
        [WAITING_FOR_REVIEW.later(hosts), INBOX_FIRST_PAGE.later(hosts)]
    )
    paginator = Paginator([], INBOX_PAGE)
    paginator.count = sum(n for (n,) in counted)
    page = paginator.get_page(number)
    if page.number > 1:
        waiting = list(_inbox_rows(hosts)[page.start_index() - 1 : page.end_index()])
    detail_url = url_by_pk("trainees:reflection_detail")
    labels = DayLabels()
    zone = timezone.get_current_timezone()
    escaped = Escape()
    rows = []  # tuples of escaped cells, unpacked by the template's loop
    for row in waiting:
        pk, day, late, submitted_at, rating, family, given, email, municipality, title, n = row
        at = (submitted_at or timezone.now()).astimezone(zone)  # as timezone.localtime()
        rows.append(
            escaped.row(
                detail_url(pk),
                display_name(family, given, email),
                municipality,
                labels[day],
                title,
                # formats.date_format(at, "n/j H:i"), the same in every language
                f"{at.month}/{at.day} {at.hour:02d}:{at.minute:02d}",
                late,
                rating or "—",
                n,
            )
        )
    return {"rows": rows, "page": page, "total": paginator.count}
