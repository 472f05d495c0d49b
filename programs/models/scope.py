"""What every scoped queryset method starts with."""

import functools


def scoped(method):
    """For a queryset method that keeps the rows a user may see: a visitor sees none and an
    active superuser sees all, before the method's own rule is asked."""

    @functools.wraps(method)
    def for_user(self, user, *args, **kwargs):
        if not user.is_authenticated:
            return self.none()
        if user.is_active and user.is_superuser:
            return self.all()
        return method(self, user, *args, **kwargs)

    return for_user
