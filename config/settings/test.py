"""The test suite. SQLite in memory unless DATABASE_URL names a real database."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-kenshu-0123456789-abcdefghijklmnop")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from .base import *  # noqa: E402,F403

KENSHU_ENVIRONMENT = "test"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Unit tests run tasks in-process; the integration tests start real worker processes instead,
# on the broker that REDIS_URL names (or the embedded SQLite broker when it is unset).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders; no collectstatic before the suite.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
KENSHU_HEALTH_CACHE_SECONDS = 0.0
# Building the demo's PDFs takes seconds: only the test that looks at them turns it on.
KENSHU_DEMO_DOCUMENTS = False
# No GET changes data: every GET of the suite runs its view with writes refused.
MIDDLEWARE = [*MIDDLEWARE, "config.get_guard.GetGuardMiddleware"]  # noqa: F405
