"""Schedule expressions in EventBridge Scheduler's syntax: `cron(...)` and `rate(...)`.

- `rate(value unit)`: unit `minute|minutes|hour|hours|day|days` (singular for 1, plural otherwise, as
  AWS insists); due times are the schedule's start plus whole multiples of the period.
- `cron(minutes hours day-of-month month day-of-week year)`: six fields, one of day-of-month and
  day-of-week is `?`; day-of-week counts 1=SUN … 7=SAT, and takes `L` (`6L`: the last Friday) and `#`
  (`2#1`: the first Monday); day-of-month takes `L` and `W`. Evaluated in the schedule's time zone by
  croniter, after translating the fields into its seven-field form (seconds, then year).

Pure functions, no Django: `parse(text)` raises `ExpressionError` with a message for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter


class ExpressionError(ValueError):
    pass


_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$")
_CRON = re.compile(r"^cron\((.*)\)$")
_DAY_NAMES = {day: n for n, day in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)}
_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_FIELD_CHARS = [
    ("minutes", r"[0-9,\-*/]+"),
    ("hours", r"[0-9,\-*/]+"),
    ("day-of-month", r"[0-9,\-*/?LW]+"),
    ("month", r"[0-9A-Za-z,\-*/]+"),
    ("day-of-week", r"[0-9A-Za-z,\-*/?L#]+"),
    ("year", r"[0-9,\-*/]+"),
]


@dataclass(frozen=True)
class Expression:
    text: str
    kind: str  # "rate" | "cron"
    period: timedelta | None = None  # rate
    cron: str = ""  # cron, in croniter's seven-field form

    def next_after(self, after: datetime, *, tz: ZoneInfo, anchor: datetime) -> datetime | None:
        """The first due time strictly after `after` (aware datetimes); None when there is none (a cron
        whose years have all passed)."""
        if self.kind == "rate":
            assert self.period is not None
            if after < anchor:
                return anchor
            steps = (after - anchor) // self.period + 1
            return anchor + steps * self.period
        start = max(after, anchor).astimezone(tz)
        try:
            return croniter(self.cron, start).get_next(datetime)
        except Exception:  # croniter gives up after searching too far: no due time left
            return None

    def upcoming(self, after: datetime, *, tz: ZoneInfo, anchor: datetime, count: int = 5) -> list[datetime]:
        times: list[datetime] = []
        at = after
        while len(times) < count:
            following = self.next_after(at, tz=tz, anchor=anchor)
            if following is None:
                break
            times.append(following)
            at = following
        return times


def parse(text: str) -> Expression:
    text = (text or "").strip()
    rate = _RATE.match(text)
    if rate:
        value, unit = int(rate.group(1)), rate.group(2)
        if value < 1:
            raise ExpressionError("A rate's value is a whole number of 1 or more.")
        if (value == 1) != (not unit.endswith("s")):
            raise ExpressionError(f"Write rate({value} {unit.rstrip('s') + ('' if value == 1 else 's')}).")
        return Expression(text, "rate", period=timedelta(seconds=value * _UNITS[unit.rstrip("s")]))
    cron = _CRON.match(text)
    if not cron:
        raise ExpressionError("Write cron(minutes hours day-of-month month day-of-week year) or rate(value unit).")
    fields = cron.group(1).split()
    if len(fields) != 6:
        raise ExpressionError(
            f"A cron expression has six fields (minutes hours day-of-month month day-of-week year); this one has "
            f"{len(fields)}."
        )
    for (name, chars), value in zip(_FIELD_CHARS, fields, strict=True):
        if not re.fullmatch(chars, value):
            raise ExpressionError(f"The {name} field {value!r} has characters it does not take.")
    minutes, hours, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise ExpressionError("Exactly one of day-of-month and day-of-week is '?': the other one picks the days.")
    translated = " ".join(
        [minutes, hours, "*" if dom == "?" else dom, month, "*" if dow == "?" else _day_of_week(dow), "0", year]
    )
    if not croniter.is_valid(translated):
        raise ExpressionError(f"{text} is not a valid cron expression.")
    return Expression(text, "cron", cron=translated)


def _day_of_week(field: str) -> str:
    """EventBridge counts 1=SUN … 7=SAT, croniter 0=SUN … 6=SAT; `6L` is croniter's `L5`."""
    out = []
    for name, number in _DAY_NAMES.items():
        field = re.sub(name, str(number), field, flags=re.IGNORECASE)
    for token in field.split(","):
        base, slash, step = token.partition("/")
        if base == "L":
            base = "6"  # the last day of the week: Saturday
        elif m := re.fullmatch(r"(\d)L", base):
            base = f"L{_shift(m.group(1))}"
        elif m := re.fullmatch(r"(\d)#(\d)", base):
            base = f"{_shift(m.group(1))}#{m.group(2)}"
        else:
            base = re.sub(r"\d+", lambda d: _shift(d.group(0)), base)
        out.append(base + slash + step)
    return ",".join(out)


def _shift(day: str) -> str:
    number = int(day)
    if not 1 <= number <= 7:
        raise ExpressionError(f"Days of the week are 1 (SUN) to 7 (SAT), or SUN-SAT; not {day}.")
    return str(number - 1)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ExpressionError(f"{name!r} is not a time zone name like 'UTC' or 'Europe/Paris'.") from None
