"""The periodic task's service: each due time starts one execution; missed ones are reported, not run."""

from datetime import datetime

from executor.models import Execution
from triggers import services
from triggers.models import Schedule, ScheduleFiring


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-01-05T{text}+00:00")


def test_each_due_time_starts_one_execution(owner, flow, clock):
    workflow = flow()
    schedule = services.create_schedule(
        user=owner, workflow=workflow, name="every-minute", expression="rate(1 minute)", input={"report": "daily"}
    )
    assert schedule.next_due_at == at("09:01:00")

    assert services.fire_due_schedules(now=at("09:00:30"))["started"] == 0
    assert services.fire_due_schedules(now=at("09:01:00"))["started"] == 1
    assert services.fire_due_schedules(now=at("09:01:00"))["started"] == 0  # a second worker, the same tick
    assert services.fire_due_schedules(now=at("09:01:40"))["started"] == 0
    assert services.fire_due_schedules(now=at("09:02:05"))["started"] == 1

    runs = list(Execution.objects.filter(workflow=workflow).order_by("id"))
    assert [r.name for r in runs] == ["every-minute-20260105T090100", "every-minute-20260105T090200"]
    assert all(r.input == {"report": "daily"} and r.started_by is None for r in runs)
    assert list(ScheduleFiring.objects.values_list("outcome", flat=True)) == ["started", "started"]


def test_a_due_time_handled_before_is_not_started_again(owner, flow, clock):
    """Beat restarted from an old state file, or a worker that read the row before the commit: the
    unique key per schedule and due time still holds."""
    workflow = flow()
    schedule = services.create_schedule(user=owner, workflow=workflow, name="m", expression="rate(1 minute)")
    services.fire_due_schedules(now=at("09:01:00"))
    Schedule.objects.filter(pk=schedule.pk).update(next_due_at=at("09:01:00"))  # as if it had not moved on

    assert services.fire_due_schedules(now=at("09:01:10"))["started"] == 0
    assert Execution.objects.filter(workflow=workflow).count() == 1
    assert Schedule.objects.get(pk=schedule.pk).next_due_at == at("09:02:00")


def test_times_missed_while_everything_was_down_are_reported_not_run_in_a_burst(owner, flow, clock):
    workflow = flow()
    schedule = services.create_schedule(user=owner, workflow=workflow, name="m", expression="rate(1 minute)")
    services.fire_due_schedules(now=at("09:01:00"))

    counts = services.fire_due_schedules(now=at("10:00:20"))  # down from 09:01 to 10:00

    assert counts == {"started": 1, "missed": 58, "failed": 0}  # 09:02 … 09:59 missed, 10:00 runs
    schedule.refresh_from_db()
    assert schedule.missed_count == 58
    assert schedule.last_missed_at == at("09:59:00")
    assert schedule.next_due_at == at("10:01:00")
    missed = ScheduleFiring.objects.get(outcome="missed")
    assert missed.due_at == at("09:02:00")
    assert "58 due time(s)" in missed.message
    assert Execution.objects.filter(workflow=workflow).count() == 2


def test_a_due_time_found_long_after_is_missed_too(owner, flow, clock):
    workflow = flow()
    services.create_schedule(user=owner, workflow=workflow, name="hourly", expression="cron(0 * * * ? *)")

    counts = services.fire_due_schedules(now=at("11:30:00"))  # 10:00 and 11:00 passed; 11:00 is 30 min old

    assert counts == {"started": 0, "missed": 2, "failed": 0}
    assert not Execution.objects.exists()


def test_a_schedule_that_is_off_starts_nothing_and_on_again_counts_from_now(owner, flow, clock):
    workflow = flow()
    schedule = services.create_schedule(user=owner, workflow=workflow, name="m", expression="rate(1 minute)")
    services.update_schedule(user=owner, schedule=schedule, enabled=False)
    assert services.fire_due_schedules(now=at("09:30:00"))["started"] == 0

    clock.set(at("09:30:10"))
    schedule = services.update_schedule(user=owner, schedule=schedule, enabled=True)

    assert schedule.next_due_at == at("09:31:10")
    assert services.fire_due_schedules(now=at("09:31:10")) == {"started": 1, "missed": 0, "failed": 0}


def test_a_workflow_without_a_version_is_reported_as_failed(owner, workflow, clock):
    schedule = services.create_schedule(user=owner, workflow=workflow, name="m", expression="rate(1 minute)")

    assert services.fire_due_schedules(now=at("09:01:00"))["failed"] == 1

    firing = ScheduleFiring.objects.get(schedule=schedule)
    assert firing.outcome == "failed"
    assert "Save a version" in firing.message
    schedule.refresh_from_db()
    assert schedule.next_due_at == at("09:02:00")


def test_the_next_five_times(owner, flow, clock):
    schedule = services.create_schedule(
        user=owner, workflow=flow(), name="noon", expression="cron(0 12 ? * MON-FRI *)", timezone="Europe/Paris"
    )
    assert [t.isoformat() for t in services.upcoming(schedule)] == [
        "2026-01-05T12:00:00+01:00",
        "2026-01-06T12:00:00+01:00",
        "2026-01-07T12:00:00+01:00",
        "2026-01-08T12:00:00+01:00",
        "2026-01-09T12:00:00+01:00",
    ]


def test_the_periodic_task_uses_the_clock(owner, flow, clock):
    from triggers.tasks import tick

    workflow = flow()
    services.create_schedule(user=owner, workflow=workflow, name="m", expression="rate(1 minute)")
    clock.set(at("09:01:02"))

    assert tick() == {"started": 1, "missed": 0, "failed": 0, "events": 0}
