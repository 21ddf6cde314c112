"""The executor's hook: an execution ended. Called by executor/driver.py after the step that ended it
commits; it only enqueues, so the step's worker goes on at once. The periodic tick sweeps up any call
lost between the commit and the enqueue."""

from __future__ import annotations

import logging
import time

from executor.models import Execution
from triggers.models import EventRule

log = logging.getLogger(__name__)

_ENDINGS = {"SUCCEEDED", "FAILED", "TIMED_OUT"}

# The workflows that enabled event rules listen to, as this process last read them: executions end by the
# thousand a second, and asking the database each time cost a query each. Saving or deleting a rule
# forgets the set in this process; other processes re-read it within REFRESH_SECONDS, and an ending they
# missed meanwhile is fired by the tick's sweep (sweep_event_rules), later but once.
REFRESH_SECONDS = 2.0
_sources: tuple[float, frozenset[int]] | None = None


def sources_with_rules() -> frozenset[int]:
    global _sources
    now = time.monotonic()
    if _sources is None or now - _sources[0] > REFRESH_SECONDS:
        ids = EventRule.objects.filter(enabled=True).values_list("source_id", flat=True).distinct()
        _sources = (now, frozenset(ids))
    return _sources[1]


def forget_rules(**kwargs) -> None:
    """A rule changed: read the set again at the next ending."""
    global _sources
    _sources = None


def on_execution_finished(row: Execution) -> None:
    if row.parent_id is not None or row.status not in _ENDINGS:
        return  # a Map iteration or Parallel branch, or an ending no rule listens to
    try:
        if row.workflow_id in sources_with_rules():
            from triggers.tasks import fire_event_rules

            fire_event_rules.delay(row.pk)
    except Exception:
        log.exception("could not enqueue the event rules of execution %s; the sweeper will", row.pk)
