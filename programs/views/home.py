"""Home pages per role: where each person lands, the coordinator's dashboard, a trainee's
today (the supervisor's home is in reports, which reads every app)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import access, registry
from .. import cache as kenshu_cache
from ..models import Activity
from ..selectors.dashboard import dashboard_context


def home(request):
    """Send each person to the home page of their first role."""
    roles = access.roles_of(request.user)
    if roles["host"]:
        return redirect("programs:host_home")
    if roles["trainee"]:
        return redirect("programs:trainee_today")
    if roles["supervisor"]:
        return redirect("reports:municipality_home")  # the contact's home
    if roles["office"]:
        # The scheme office's pages live in the app that registers its links.
        links = registry.nav_links({"office": True})
        if links:
            return redirect(links[0].url_name)
    return render(request, "programs/no_role.html")


def host_home(request):
    """The coordinator's dashboard: programs running this week and next, trainees on site
    today, programs by status. A fixed number of queries whatever the rows."""
    if not access.host_ids_of(request.user):
        raise Http404
    content = kenshu_cache.cached_render(
        request,
        "programs/host_home_content.html",
        lambda: dashboard_context(request.user, timezone.localdate()),
        kind="dashboard",
        scopes=kenshu_cache.host_page_scopes(access.host_ids_of(request.user), "week"),
    )
    return render(
        request,
        "programs/host_home.html",
        {
            "content": content,
            "due": registry.due_for(request.user, timezone.now()),
            "today": timezone.localdate(),
            "coordinated": access.roles_of(request.user)["coordinated_ids"],
        },
    )


def trainee_today(request):
    """A trainee's "today": today's activities, and what the other apps say is waiting
    (a reflection to write, a survey, unread feedback), asked through the registry. The
    installed app starts here (?source=pwa): someone who is not a trainee goes home instead.
    Its links marked data-offline are the pages the phone keeps (static/js/offline.js)."""
    if request.GET.get("source") == "pwa" and not access.roles_of(request.user)["trainee"]:
        return redirect("programs:home")
    profile = access.get_trainee_profile(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    activities = list(
        Activity.objects.of_trainee(request.user)
        .live()
        .filter(date=today)
        .select_related("facilitator", "program")
        .order_by("start_time")
    )
    for activity in activities:  # a trip's or a seminar's slot opens its page (as in the week)
        activity.origin_url = (registry.origin_of(activity) or ("", ""))[1]
    return render(
        request,
        "programs/trainee_today.html",
        {
            "profile": profile,
            "today": today,
            "activities": activities,
            "due": registry.due_for(request.user, now),
        },
    )
