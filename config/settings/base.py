"""Settings shared by every environment. Everything that varies is read from the environment."""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("KENSHU_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

KENSHU_ENVIRONMENT = "base"

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "programs",
    "trainees",
    "seminars",
    "scheme",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every middleware that can refuse a request itself (CommonMiddleware's 400 for a
    # Host not in ALLOWED_HOSTS, the session's 400), so those pages carry the headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "programs.middleware.LanguageMiddleware",
    "programs.middleware.OfflineAccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "programs.unstorable.UnstorableTextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # {{ d|day }}, {% period a b %}, {% sep %}: docs/glossary.md's formats
            "builtins": ["programs.templatetags.kenshu_format"],
        },
    },
    {
        # The pages read most, their fragments, and the layout's partials (config/jinja2.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "config.jinja2.environment",
            "autoescape": True,
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'kenshu.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default: a writer takes the lock when its transaction begins and others
    # wait for it (up to 20 s), instead of failing with "database is locked" when the web
    # server and the worker write at once (two tabs autosaving a reflection, say).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
elif env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    # PostgreSQL plans each query once per connection and reuses the plan (psycopg prepares a
    # statement from its fifth run). Left to choose, PostgreSQL plans a prepared statement
    # again on every run while that looks cheaper than one plan for any values: the new
    # reflections' page spent 0.8 ms planning a query that runs in 0.25 ms. The values bound
    # here are ids, days, states and a search word over one host's rows, where one plan
    # serves them all (plan_cache_mode=force_generic_plan; bench/page_profile.py: the inbox
    # 4.4 → 3.5 ms, the dashboard 4.1 → 3.8). Options given in DATABASE_URL are kept. Set
    # false behind a PgBouncer older than 1.21 in transaction mode, which neither keeps
    # prepared statements nor passes `options`.
    _database_options = DATABASES["default"].setdefault("OPTIONS", {})
    _database_options.update({"server_side_binding": True, "prepare_threshold": 5})
    _database_options["options"] = " ".join(
        filter(
            None, [_database_options.get("options", ""), "-c plan_cache_mode=force_generic_plan"]
        )
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")


def redis_database(url: str, offset: int) -> str:
    """The same Redis server, another database: the broker keeps REDIS_URL's database, the
    results and the cache the next ones, so clearing the cache (FLUSHDB) never drops tasks."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + offset}"))


if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=redis_database(REDIS_URL, 2)),
            "KEY_PREFIX": "kenshu",
        }
    }
else:
    # One cache shared by every process on the machine (web, worker), so that rate limits
    # hold across processes without a server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Accounts -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "programs.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, loading the signed-in person's roles in the same query.
    "programs.auth.ModelBackend",
    "programs.auth.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "programs:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "programs.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # invitations prove the address
ACCOUNT_PREVENT_ENUMERATION = "strict"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kenshu] "
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset for an unknown address sends nothing
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords: 5 per address per 5 minutes, 10 per minute per IP.
    "login_failed": "10/m/ip,5/300s/key",
    "reset_password": "20/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kenshu"
KENSHU_INVITATION_DAYS = env.int("KENSHU_INVITATION_DAYS", default=7)

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# --- Language and time --------------------------------------------------------------------------

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"  # never served directly: downloads go through views that check access
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded materials and generated documents: the local disk (MEDIA_ROOT) on one machine; on
# several, an S3-compatible store that every web node and worker reaches (STORAGE_BUCKET).
# Either way a file leaves only through Kenshu's download views, after the access check.
STORAGE_BUCKET = env.str("STORAGE_BUCKET", default="")
if STORAGE_BUCKET:
    import os

    from config.store import from_environment

    STORAGES["default"] = from_environment(os.environ)
# Behind nginx (deploy/nginx/kenshu.conf): a download answers with X-Accel-Redirect after the
# access check and nginx sends the bytes (from MEDIA_ROOT, or from the store through a signed
# address that lives 60 s), so a slow phone never holds a web worker. False: streamed by Kenshu.
KENSHU_ACCEL_REDIRECT = env.bool("KENSHU_ACCEL_REDIRECT", default=False)

# --- Email --------------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if env.str("EMAIL_FILE_PATH", default=""):  # for filemail://, an absolute folder
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Kenshu <noreply@kenshu.localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Security headers ---------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Background work (Celery) -------------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=redis_database(REDIS_URL, 1))
else:
    # No server needed: kombu's SQLAlchemy transport on a SQLite file. (kombu's filesystem://
    # transport is not used: it crashed a worker on an unlocked read.)
    CELERY_BROKER_URL = env.str(
        "CELERY_BROKER_URL", default=f"sqla+sqlite:///{VAR_DIR / 'broker.sqlite3'}"
    )
    CELERY_RESULT_BACKEND = env.str(
        "CELERY_RESULT_BACKEND", default=f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
    )
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 8 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Above every countdown, ETA and retry backoff the project uses (all are capped at 1 hour),
# so Redis never redelivers a task that is only waiting.
# (A Redis option only: kombu's SQLAlchemy transport hands its options to create_engine.)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 60 * 60}
KENSHU_MAX_TASK_DELAY = 60 * 60
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
KENSHU_REMINDER_TICK_MINUTES = env.int("KENSHU_REMINDER_TICK_MINUTES", default=5)
# A trainee files the trip report (復命書) within this many days of the trip's last day.
KENSHU_TRIP_REPORT_DAYS = env.int("KENSHU_TRIP_REPORT_DAYS", default=3)
# seed_demo builds the finished demo program's documents (PDFs); the unit tests that only look
# at the rest of the demo turn it off (config/settings/test.py).
KENSHU_DEMO_DOCUMENTS = env.bool("KENSHU_DEMO_DOCUMENTS", default=True)
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "programs.tasks.clear_expired_sessions",
        "schedule": crontab(hour=4, minute=0),
    },
    # One entry; correctness lives in the notification rows, not in beat.
    # A completed program's report is built by itself (reports.tasks).
    "report-completed-programs": {
        "task": "reports.tasks.report_completed_programs",
        "schedule": crontab(minute=7),
    },
    # A document whose worker died is built again within a minute or two (reports.tasks).
    "requeue-orphaned-builds": {
        "task": "reports.tasks.requeue_orphaned_builds",
        "schedule": crontab(minute="*"),
    },
    "dispatch-reminders": {
        "task": "programs.tasks.dispatch_reminders",
        "schedule": crontab(minute=f"*/{KENSHU_REMINDER_TICK_MINUTES}"),
    },
}

# --- Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every page at INFO; its warnings (a missing image, an
    # unsupported CSS property) still show.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
# The address links in emails and calendars start with. Production requires it (https://);
# elsewhere it defaults to the address `make run` serves on, which KENSHU_PORT chooses, so the
# links follow the server (never the Host header of a request: emails leave from the worker).
KENSHU_PORT = env.int("KENSHU_PORT", default=8000)
KENSHU_BASE_URL = env.str("KENSHU_BASE_URL", default=f"http://127.0.0.1:{KENSHU_PORT}")
KENSHU_HEALTH_CACHE_SECONDS = 5.0  # /healthz checks at most this often per process
# A document build that met the database or the store away is tried again after this many
# seconds, doubled at each attempt (capped by KENSHU_MAX_TASK_DELAY).
KENSHU_RETRY_BASE_SECONDS = env.int("KENSHU_RETRY_BASE_SECONDS", default=30)
# Rendered list, grid and dashboard fragments are kept in the cache under versions scoped per
# host and program (programs/cache.py); false renders every page every time, as the benchmark's
# "cold" column does. Access is checked against the database either way.
KENSHU_FRAGMENT_CACHE = env.bool("KENSHU_FRAGMENT_CACHE", default=True)
