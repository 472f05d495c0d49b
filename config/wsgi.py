import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()


def settle() -> None:
    """Load what every first request would (the URL patterns, the template engines), then
    hand what is alive now to `gc.freeze()`: the garbage collector's full passes then walk a
    request's objects instead of all of Django's, and stop costing a page a millisecond or
    two whenever they fall on it (measured with bench/page_profile.py)."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's views)
    engines.all()
    gc.collect()
    gc.freeze()


settle()
