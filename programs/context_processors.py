from .access import roles_of


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": {}}
    return {"nav_roles": roles_of(user)}
