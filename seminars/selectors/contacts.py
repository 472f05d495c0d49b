"""The telephone numbers a trip's travellers call: the host's staff on the trip and the
program's coordinator(s). Who may read them is `access.sees_trip_numbers`."""

from django.db.models import Q
from django.utils.translation import gettext as _

from programs.models import Membership, Role
from programs.models.organisations import HOST_ROLES
from programs.phones import tel_href


def trip_contacts(program, trip, staff_ids) -> list[dict]:
    """The coordinators who planned the program or the trip (all the host's coordinators
    when neither planner coordinates there any more), then the host's staff on the trip,
    each person once, each with a number: one query."""
    staff_ids = set(staff_ids)
    planners = {program.created_by_id, trip.created_by_id} - {None}
    memberships = list(
        Membership.objects.filter(host_company=program.host_id, role__in=HOST_ROLES)
        .filter(Q(role=Role.COORDINATOR) | Q(user__in=staff_ids))
        .select_related("user")
        .order_by("role", "user__family_name_kana", "user__email", "pk")
    )
    coordinators = [m for m in memberships if m.role == Role.COORDINATOR]
    chosen = [m for m in coordinators if m.user_id in planners] or coordinators
    chosen += [m for m in memberships if m.user_id in staff_ids and m not in chosen]
    contacts, seen = [], set()
    for m in chosen:
        if m.user_id in seen or not m.phone:
            continue
        seen.add(m.user_id)
        role = m.get_role_display()
        contacts.append(
            {
                "name": m.user.display_name,
                "role": _("%(role)s, on this trip") % {"role": role}
                if m.user_id in staff_ids
                else role,
                "phone": m.phone,
                "tel": tel_href(m.phone),
            }
        )
    return contacts
