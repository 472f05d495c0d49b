"""The person's own account, as far as it is ours (allauth has the rest): the language, and
the address pages that are closed."""

from allauth.account.utils import get_next_redirect_url
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ..forms import LanguageForm


@login_not_required
@require_POST
def set_language(request):
    """Switch the language; remembered on the account for a signed-in person, in a cookie
    for everyone."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or get_next_redirect_url(request) or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def email_management_closed(request):
    """Addresses come from invitations: no page adds or changes one."""
    raise Http404
