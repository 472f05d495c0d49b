"""Production: every secret and address comes from the environment; nothing insecure by default.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), REDIS_URL, EMAIL_URL,
DEFAULT_FROM_EMAIL. See README.md, "Production".
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, env

KENSHU_ENVIRONMENT = "production"
DEBUG = False

if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set in production (broker, cache, rate limits).")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")
# Fail closed: without these, links in emails would be wrong or mail would go to the log.
for _name in ("ALLOWED_HOSTS", "EMAIL_URL", "DEFAULT_FROM_EMAIL", "KENSHU_BASE_URL"):
    if not env.str(_name, default=""):
        raise ImproperlyConfigured(f"{_name} must be set in production.")
if not env.str("KENSHU_BASE_URL").startswith("https://"):
    raise ImproperlyConfigured("KENSHU_BASE_URL must be an https:// address in production.")
if env.str("EMAIL_URL").startswith(("consolemail:", "filemail:", "memorymail:", "dummymail:")):
    raise ImproperlyConfigured("EMAIL_URL must name a real mail server in production.")

if (
    env.bool("KENSHU_ACCEL_REDIRECT", default=False)
    and env.str("STORAGE_BUCKET", default="")
    and env.str("STORAGE_ADDRESSING_STYLE", default="auto") != "path"
):
    # nginx fetches from the endpoint it was given; a bucket named in the host would not match.
    raise ImproperlyConfigured(
        "KENSHU_ACCEL_REDIRECT with STORAGE_BUCKET needs STORAGE_ADDRESSING_STYLE=path."
    )

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)

# Behind one reverse proxy (nginx, a load balancer) that sets X-Forwarded-For and
# X-Forwarded-Proto; gunicorn listens on 127.0.0.1 or a socket only the proxy reaches.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)  # preload is one-way
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

ADMINS = [("Operators", a) for a in env.list("ADMIN_EMAILS", default=[])]
