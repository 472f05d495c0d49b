"""What a view reads of the web request for the activity log: the address it came from.
Services take the result (`ip=`), never the request itself."""

from allauth.account.adapter import get_adapter


def client_ip(request) -> str | None:
    """The address the request came from, as allauth's rate limits see it (behind the
    trusted proxies of ALLAUTH_TRUSTED_PROXY_COUNT)."""
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request) or None
    except Exception:  # noqa: BLE001 -- a malformed header must not break the log
        return request.META.get("REMOTE_ADDR") or None


def posted_next(request, default: str) -> str:
    """Where a form's button goes back to: its `next` field when it is a page of this site
    (the page the button was on, e.g. the contact's trainee page), `default` otherwise."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
