"""What waits for each person in the scheme (the core's `due_for` question): a call open for
a host's offer or a municipality's application, staff still to name after a confirmed
match, a host's new draft from the office, the office's proposals waiting to be confirmed.
A few queries per role, whatever the rows."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import access as core_access
from programs.formats import show

from .models import Application, Call, Match, Offer
from .models.scope import supervised
from .selectors.matches import match_weeks
from .selectors.matching import latest_run, waiting_count
from .services.staff import places_left

RECENT = timedelta(days=30)


def due_for(user, now):
    roles = core_access.roles_of(user)
    if roles["supervisor"]:
        yield from _contact(user, now)
    if roles["coordinator"]:
        yield from _host(user, now)
    if roles["office"]:
        yield from _office(now)


def _open_calls(now):
    today = timezone.localdate(now)
    return Call.objects.filter(
        published_at__isnull=False,
        closed_at__isnull=True,
        opens_on__lte=today,
        closes_on__gte=today,
    )


def _call_item(call, kind: str, title: str):
    from programs.registry import DueItem

    return DueItem(
        kind=kind,
        title=title % {"title": call.title},
        url=reverse("scheme:call_detail", args=[call.pk]),
        state="open",
        detail=_("Until %(day)s") % {"day": show(call.closes_on, "day")},
        order=20,
    )


def _contact(user, now):
    from programs.registry import DueItem

    mine = supervised(user)
    applied = Application.objects.live().filter(call=OuterRef("pk"), municipality__in=mine)
    for call in _open_calls(now).filter(~Exists(applied)):
        yield _call_item(call, "scheme_apply", _("Apply to the call: %(title)s"))
    matches = Match.objects.confirmed().filter(
        application__municipality__in=mine, program__isnull=False
    )
    # One match per municipality and call: a few rows, each counted as the staff page does.
    for match in matches.select_related("host", "program"):
        left = places_left(match)
        if left > 0:
            yield DueItem(
                kind="scheme_staff",
                title=_("Name the staff who go to %(host)s") % {"host": match.host.name},
                url=reverse("scheme:match_staff", args=[match.pk]),
                state="todo",
                detail=_("%(weeks)s, %(left)s of %(places)s places to name")
                % {"weeks": match_weeks(match.start_week, match.weeks), "left": left,
                   "places": match.staff},
                order=15,
            )  # fmt: skip


def _host(user, now):
    from programs.registry import DueItem

    hosts = core_access.roles_of(user)["coordinated_ids"]
    offered = Offer.objects.live().filter(call=OuterRef("pk"), host_id__in=hosts)
    for call in _open_calls(now).filter(~Exists(offered)):
        yield _call_item(call, "scheme_offer", _("Offer places in the call: %(title)s"))
    recent = Match.objects.confirmed().filter(
        host_id__in=hosts, confirmed_at__gte=now - RECENT, program__status="draft"
    )
    for match in recent.select_related("application__municipality", "program"):
        yield DueItem(
            kind="scheme_matched",
            title=_("The scheme office matched %(municipality)s with you: plan the week")
            % {"municipality": match.application.municipality.name},
            url=reverse("programs:week_grid", args=[match.program_id]),
            state="todo",
            detail=match_weeks(match.start_week, match.weeks),
            order=25,
        )


def _office(now):
    from programs.registry import DueItem

    today = timezone.localdate(now)
    recent = Call.objects.filter(published_at__isnull=False, closes_on__gte=today - RECENT * 12)
    for call in recent:
        if call.state(now) != "closed":
            continue
        run = latest_run(call)
        count = waiting_count(call, run)
        if run is None:
            title = _("Run the matching of %(title)s")
        elif count:
            title = _("Proposals of %(title)s waiting for confirmation")
        else:
            continue
        yield DueItem(
            kind="scheme_matching",
            title=title % {"title": call.title},
            url=reverse("scheme:matching", args=[call.pk]),
            state="todo",
            detail=_("%(count)s pairs") % {"count": count} if count else "",
            order=10,
        )
