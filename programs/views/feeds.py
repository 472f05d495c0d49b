"""Calendar feeds: the page listing a person's secret feed addresses, the feeds themselves
(public by their secret token), and one-event downloads."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import access
from ..access import roles_of
from ..client import client_ip
from ..models import Activity, CalendarFeed, Program
from ..services import calendar as calendar_services

ICS = "text/calendar; charset=utf-8"


def _absolute(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("programs:calendar_feed", args=[feed.token]))


def calendar_feeds(request):
    feeds = []
    if roles_of(request.user)["trainee"]:
        feed = calendar_services.get_or_create_feed(request.user)
        feeds.append({"feed": feed, "name": _("My activities"), "url": _absolute(request, feed)})
    for program in (
        Program.objects.visible_to(request.user)
        .filter(host__memberships__user=request.user)
        .distinct()
        .order_by("-start_date")[:30]
    ):
        feed = calendar_services.get_or_create_feed(request.user, program=program)
        feeds.append({"feed": feed, "name": program.title, "url": _absolute(request, feed)})
    return render(request, "programs/calendar_feeds.html", {"feeds": feeds})


@require_POST
def calendar_feed_regenerate(request, pk: int):
    feed = get_object_or_404(CalendarFeed, pk=pk, user=request.user)
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
    feed = CalendarFeed.objects.select_related("user", "program").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    if (
        feed.program_id
        and not Program.objects.visible_to(feed.user).filter(pk=feed.program_id).exists()
    ):
        raise Http404
    _name, body = calendar_services.feed_body(feed)
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "private, max-age=300"
    return response


def activity_ics(request, pk: int):
    """One activity as an .ics file, for the people who may see it."""
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).live().select_related("program", "facilitator"),
        pk=pk,
    )
    if not access.activities_for(request.user, activity.program).filter(pk=pk).exists():
        raise Http404
    body = calendar_services.to_ical(activity.program.title, [activity])
    response = HttpResponse(body, content_type=ICS)
    filename = f"{activity.date:%Y%m%d}-{activity.title}.ics"
    response["Content-Disposition"] = (
        f"attachment; filename=\"activity-{activity.pk}.ics\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
