"""The schedules' clock. `STEPWRIGHT_CLOCK_FILE` names a file holding an ISO timestamp that stands in for
now, so tests can move time for real worker processes; unset (always, outside tests), it is the real time."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from django.utils import timezone


def now() -> datetime:
    path = os.environ.get("STEPWRIGHT_CLOCK_FILE")
    if path:
        text = Path(path).read_text().strip()
        if text:
            return datetime.fromisoformat(text)
    return timezone.now()
