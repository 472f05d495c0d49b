"""Development on one machine: `make run`. No external server is needed.

DEBUG is off unless asked for: a demo on a laptop (on a café's network, say) shows visitors the
site's own error pages with the usual security headers, never Django's technical pages that
list every URL or show a traceback with settings. `DEBUG=true make run` turns them on for local
work. Static files are served by WhiteNoise from the source folders either way (no
collectstatic), and the web server listens on 127.0.0.1 only (Procfile.dev).
"""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-kenshu")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402

KENSHU_ENVIRONMENT = "development"
# WhiteNoise finds the files in static/ and the apps' static folders as the test settings do,
# and sees an edited file at once; with DEBUG off runserver would serve none.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

VAR_DIR.mkdir(parents=True, exist_ok=True)
