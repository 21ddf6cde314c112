from datetime import UTC, datetime, timedelta

import pytest

from triggers.expressions import ExpressionError, parse, zone

T0 = datetime(2026, 3, 27, 10, 0, tzinfo=UTC)


def times(text: str, tz: str = "UTC", after: datetime = T0, count: int = 3) -> list[str]:
    return [t.isoformat() for t in parse(text).upcoming(after, tz=zone(tz), anchor=after, count=count)]


def test_a_rate_counts_from_its_start():
    assert times("rate(5 minutes)") == [
        "2026-03-27T10:05:00+00:00",
        "2026-03-27T10:10:00+00:00",
        "2026-03-27T10:15:00+00:00",
    ]
    expression = parse("rate(1 hour)")
    assert expression.next_after(T0 + timedelta(minutes=59), tz=zone("UTC"), anchor=T0) == T0 + timedelta(hours=1)
    assert expression.next_after(T0 + timedelta(hours=1), tz=zone("UTC"), anchor=T0) == T0 + timedelta(hours=2)


def test_a_daily_cron_in_a_time_zone_keeps_its_local_hour_across_daylight_saving():
    assert times("cron(0 12 * * ? *)", "Europe/Paris") == [
        "2026-03-27T12:00:00+01:00",
        "2026-03-28T12:00:00+01:00",
        "2026-03-29T12:00:00+02:00",
    ]


def test_days_of_the_week_count_from_sunday_as_1():
    assert times("cron(0 8 ? * 2-6 *)", count=2) == ["2026-03-30T08:00:00+00:00", "2026-03-31T08:00:00+00:00"]
    assert times("cron(0 8 ? * MON-FRI *)", count=2) == ["2026-03-30T08:00:00+00:00", "2026-03-31T08:00:00+00:00"]
    assert times("cron(0 8 ? * 1,7 *)", count=2) == ["2026-03-28T08:00:00+00:00", "2026-03-29T08:00:00+00:00"]
    assert times("cron(0 8 ? * MON#1 *)", count=1) == ["2026-04-06T08:00:00+00:00"]
    assert times("cron(0 8 ? * 2#1 *)", count=1) == ["2026-04-06T08:00:00+00:00"]
    assert times("cron(15 10 ? * 6L 2026)", count=1) == ["2026-03-27T10:15:00+00:00"]  # the last Friday


def test_last_day_of_the_month_and_nearest_weekday():
    assert times("cron(0 0 L * ? *)", count=2) == ["2026-03-31T00:00:00+00:00", "2026-04-30T00:00:00+00:00"]
    assert times("cron(0 9 15W * ? *)", count=1) == ["2026-04-15T09:00:00+00:00"]


def test_years_that_have_passed_leave_no_due_time():
    assert times("cron(0 9 * * ? 2025)") == []


@pytest.mark.parametrize(
    "text, says",
    [
        ("every 5 minutes", "rate(value unit)"),
        ("rate(1 minutes)", "rate(1 minute)"),
        ("rate(5 minute)", "rate(5 minutes)"),
        ("rate(0 hours)", "1 or more"),
        ("cron(0 12 * * *)", "six fields"),
        ("cron(0 12 * * * *)", "Exactly one"),
        ("cron(0 12 ? * ? *)", "Exactly one"),
        ("cron(0 12 ? * 8 *)", "1 (SUN) to 7 (SAT)"),
        ("cron(0 12 ? * $ *)", "characters"),
        ("cron(61 12 * * ? *)", "not a valid cron"),
    ],
)
def test_it_explains_what_is_wrong(text, says):
    with pytest.raises(ExpressionError, match=says.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ExpressionError, match="time zone"):
        zone("Mars/Olympus")
