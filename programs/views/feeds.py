"""Calendar feeds: the page listing a person's secret feed addresses, the feeds themselves
(public by their secret token), and one-event downloads."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import access
from ..access import roles_of
from ..client import client_ip
from ..integers import id_param
from ..models import CalendarFeed
from ..services import calendar as calendar_services

ICS = "text/calendar; charset=utf-8"


def _absolute(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("programs:calendar_feed", args=[feed.token]))


def calendar_feeds(request):
    """The person's calendars, each with its secret address. A GET only reads: an address
    not made yet is made by the POST of its button."""
    if request.method == "POST":
        return _make_feed(request)
    made = {feed.program_id: feed for feed in CalendarFeed.objects.filter(user=request.user)}
    calendars = [(None, _("My activities"))] if roles_of(request.user)["trainee"] else []
    calendars += [
        (program.pk, program.title)
        for program in access.feed_programs_for(request.user).order_by("-start_date")[:30]
    ]
    feeds = []
    for program_id, name in calendars:
        feed = made.get(program_id)
        url = _absolute(request, feed) if feed else ""
        feeds.append({"feed": feed, "name": name, "url": url, "program": program_id or ""})
    return render(request, "programs/calendar_feeds.html", {"feeds": feeds})


def _make_feed(request):
    """Make the address of one calendar (the person's own, or a program's): once, whoever
    clicks twice."""
    asked = request.POST.get("program", "")
    if not asked:
        if not roles_of(request.user)["trainee"]:
            raise Http404
        calendar_services.get_or_create_feed(request.user)
    else:
        pk = id_param(asked)
        program = access.feed_programs_for(request.user).filter(pk=pk).first() if pk else None
        if program is None:
            raise Http404
        calendar_services.get_or_create_feed(request.user, program=program)
    return redirect("programs:calendar_feeds")


@require_POST
def calendar_feed_regenerate(request, pk: int):
    feed = access.get_calendar_feed_for_user(request.user, pk)
    calendar_services.regenerate(feed, by=request.user, ip=client_ip(request))
    messages.success(
        request, _("New address made. The old address no longer works: update your calendar app.")
    )
    return redirect("programs:calendar_feeds")


@login_not_required
@require_GET
def calendar_feed(request, token: str):
    """A feed by its secret address. Still scoped: a program feed stops when its owner can
    no longer see the program, a trainee feed shows only their own activities."""
    feed = access.get_calendar_feed_by_token(token)
    _name, body = calendar_services.feed_body(feed)
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "private, max-age=300"
    return response


def activity_ics(request, pk: int):
    """One activity as an .ics file, for the people who may see it."""
    activity = access.get_live_activity_for_user(request.user, pk)
    body = calendar_services.to_ical(activity.program.title, [activity])
    response = HttpResponse(body, content_type=ICS)
    filename = f"{activity.date:%Y%m%d}-{activity.title}.ics"
    response["Content-Disposition"] = (
        f"attachment; filename=\"activity-{activity.pk}.ics\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
