"""The Celery app: reads CELERY_* settings and finds tasks.py in every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("stepwright")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
