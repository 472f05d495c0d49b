"""Settings for the page benchmark: production-like (no DEBUG, persistent connections), on a
database of its own, with one extra trivial view behind the same login and middleware."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/kenshu_bench")

from config.settings.base import *  # noqa: E402,F403
from config.settings.base import DATABASES  # noqa: E402

KENSHU_ENVIRONMENT = "bench"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60
# Shared by both gunicorn workers, as in production (fragment versions must be seen by all).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
        "KEY_PREFIX": "kenshu-bench",
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
WHITENOISE_USE_FINDERS = True  # no collectstatic for the benchmark
