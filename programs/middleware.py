from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in person sees the language they chose, on every device.

    Runs after LocaleMiddleware and AuthenticationMiddleware and overrides the browser's
    choice with the one stored on the user (set through the language switcher)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
