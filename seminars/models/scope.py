"""What every scoped manager of this app starts from: the core's subqueries of the hosts a
person works for and the municipalities they supervise."""

from programs.models import supervised_by, worked_for

host_ids = worked_for
supervised = supervised_by


def signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser
