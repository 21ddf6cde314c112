"""Clocks for in-process runs: virtual time by default, real time (optionally scaled) on request."""

from __future__ import annotations

import time


class VirtualClock:
    """Waits and retry back-offs take no real time; timestamps move as if they had passed."""

    def __init__(self, start_ms: int | None = None):
        self._now = int(time.time() * 1000) if start_ms is None else start_ms

    def now_ms(self) -> int:
        return self._now

    def sleep_until(self, until_ms: int) -> None:
        self._now = max(self._now, until_ms)


class RealClock:
    """Wall-clock time; `scale` shortens waits the way Step Functions Local's WAIT_TIME_SCALE does."""

    def __init__(self, scale: float = 1.0):
        self.scale = scale
        self._origin = time.time()
        self._skew = 0.0  # virtual seconds skipped by scaling

    def now_ms(self) -> int:
        return int((time.time() + self._skew) * 1000)

    def sleep_until(self, until_ms: int) -> None:
        remaining = until_ms / 1000 - (time.time() + self._skew)
        if remaining <= 0:
            return
        real = remaining * self.scale
        time.sleep(real)
        self._skew += remaining - real
