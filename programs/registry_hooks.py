"""What the programs app adds to the registry like any other app: its links of the main
navigation."""

from django.utils.translation import gettext_lazy as _

from . import registry
from .registry import NavLink

NAV = (
    NavLink(_("Dashboard"), "programs:host_home", roles=("host",), order=10),
    NavLink(_("Programs"), "programs:program_list", roles=("host", "supervisor"), order=30),
    NavLink(_("Today"), "programs:trainee_today", roles=("trainee",), order=50),
    NavLink(_("My week"), "programs:trainee_week", roles=("trainee",), order=60),
)


def register() -> None:
    for link in NAV:
        registry.register_nav(link)
