"""What scheme/ tells the core's registry: the links of the office, the hosts and the
municipalities' contacts to the call's pages."""

from django.utils.translation import gettext_lazy

from programs.registry import NavLink

NAV = (
    # The office's first link is where its staff land after logging in.
    NavLink(
        gettext_lazy("Calls"),
        "scheme:calls",
        roles=("office",),
        order=10,
        current=("scheme:call_detail",),
    ),
    NavLink(gettext_lazy("Scheme offers"), "scheme:calls", roles=("host",), order=70),
    NavLink(gettext_lazy("Scheme application"), "scheme:calls", roles=("supervisor",), order=30),
)
