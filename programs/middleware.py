from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .offline import account_key


class LanguageMiddleware:
    """Japanese first: every page is in Japanese until the person picks English with the
    switcher. The choice is stored on the account (the same on every device) and in a cookie
    (for the login page). The browser's Accept-Language is not consulted: municipal PCs are
    often set to English while their users expect the Japanese product.

    Runs after AuthenticationMiddleware, in place of Django's LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def choose(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            return user.language
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in self.supported:
            return cookie
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self.choose(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class OfflineAccountMiddleware:
    """Every page answered to a signed-in person says whose it is (`X-Kenshu-Account`, the
    key of programs.offline): the service worker keeps a page for offline only under the
    key it came with, and only while that person is the one signed in on this browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            key = account_key(request)
            if key:
                response.headers["X-Kenshu-Account"] = key
        return response
