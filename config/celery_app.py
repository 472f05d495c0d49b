"""The Celery application. Tasks are found in each app's tasks.py and configured from Django
settings under the CELERY_ namespace (config/settings/base.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("kenshu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
