"""The Celery app: reads CELERY_* settings and finds tasks.py in every app."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("stepwright")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(sender=None, **kwargs) -> None:
    """Connections are reused across tasks (CELERY_DB_REUSE_MAX): drop one that is too old or broke, as
    Django does around a request. Not for eager tasks, which run inside the caller's transaction."""
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        from django.db import close_old_connections

        close_old_connections()
