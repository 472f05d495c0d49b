"""Two-factor authentication (TOTP) is offered to host-company users, who see every trainee's
data of their programs. The management pages answer 404 to everyone else; the sign-in step
itself stays open so that anyone who has a factor can use it."""

from functools import wraps

from allauth.mfa import urls as mfa_urls
from allauth.mfa.models import Authenticator
from django.http import Http404
from django.urls import URLPattern, URLResolver

from .access import roles_of

SIGN_IN_STEPS = {"mfa_authenticate", "mfa_reauthenticate", "mfa_trust"}


def _host_users_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        allowed = user.is_superuser or roles_of(user)["host"]
        # Someone who set up a factor keeps access to it (to turn it off, or get new codes)
        # after leaving a host company.
        if (
            user.is_authenticated
            and not allowed
            and not Authenticator.objects.filter(user=user).exists()
        ):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _guard(patterns):
    guarded = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            guarded.append(
                URLResolver(
                    pattern.pattern,
                    _guard(pattern.url_patterns),
                    pattern.default_kwargs,
                    pattern.app_name,
                    pattern.namespace,
                )
            )
        elif pattern.name in SIGN_IN_STEPS:
            guarded.append(pattern)
        else:
            guarded.append(
                URLPattern(
                    pattern.pattern,
                    _host_users_only(pattern.callback),
                    pattern.default_args,
                    pattern.name,
                )
            )
    return guarded


def host_only_mfa_urls():
    return _guard(mfa_urls.urlpatterns)
