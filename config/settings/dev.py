"""Development on one machine: `make run`. No external server is needed."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-kenshu")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402

KENSHU_ENVIRONMENT = "development"

VAR_DIR.mkdir(parents=True, exist_ok=True)
