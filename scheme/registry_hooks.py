"""What scheme/ tells the core's registry: the links of the office, the hosts and the
municipalities' contacts to the call's pages."""

from django.utils.translation import gettext_lazy

from programs.registry import NavLink

from .models.scope import supervised

NAV = (
    # The office's first link is where its staff land after logging in.
    NavLink(
        gettext_lazy("Calls"),
        "scheme:calls",
        roles=("office",),
        order=10,
        current=("scheme:call_detail", "scheme:matching", "scheme:offers", "scheme:applications"),
    ),
    NavLink(gettext_lazy("Scheme offers"), "scheme:calls", roles=("host",), order=70),
    NavLink(gettext_lazy("Scheme application"), "scheme:calls", roles=("supervisor",), order=30),
    NavLink(
        gettext_lazy("Matches"),
        "scheme:my_matches",
        roles=("office", "host", "supervisor"),
        order=75,
        current=("scheme:match_detail", "scheme:match_staff"),
    ),
)


def contact_names_trainees(user, program, municipality) -> bool:
    """The municipality's contact of a confirmed match names its staff: they may invite the
    match's municipality's trainees into the match's program while it is neither reported
    nor over (the core asks through registry.names_trainees, at the moment of asking)."""
    from django.utils import timezone

    from programs.models import Status

    from .models import Match

    if program.status == Status.REPORTED or program.end_date < timezone.localdate():
        return False
    return (
        Match.objects.confirmed()
        .filter(
            program=program,
            application__municipality=municipality,
            application__municipality__in=supervised(user),
        )
        .exists()
    )
