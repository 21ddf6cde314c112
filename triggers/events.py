"""The executor's hook: an execution ended. Called by executor/driver.py after the step that ended it
commits; it only enqueues, so the step's worker goes on at once. The periodic tick sweeps up any call
lost between the commit and the enqueue."""

from __future__ import annotations

import logging

from executor.models import Execution
from triggers.models import EventRule

log = logging.getLogger(__name__)

_ENDINGS = {"SUCCEEDED", "FAILED", "TIMED_OUT"}


def on_execution_finished(row: Execution) -> None:
    if row.parent_id is not None or row.status not in _ENDINGS:
        return  # a Map iteration or Parallel branch, or an ending no rule listens to
    try:
        if EventRule.objects.filter(source_id=row.workflow_id, enabled=True).exists():
            from triggers.tasks import fire_event_rules

            fire_event_rules.delay(row.pk)
    except Exception:
        log.exception("could not enqueue the event rules of execution %s; the sweeper will", row.pk)
