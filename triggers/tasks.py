from celery import shared_task

from triggers import services


@shared_task(ignore_result=True, time_limit=120, soft_time_limit=100)
def tick() -> dict:
    """Every few seconds, from beat: start due schedules; fire event rules whose hook was lost."""
    counts = services.fire_due_schedules()
    counts["events"] = services.sweep_event_rules()
    return counts


# Late acknowledgement is safe: each rule fires once per finished execution (a unique key).
@shared_task(acks_late=True, ignore_result=True, time_limit=60, soft_time_limit=50)
def fire_event_rules(execution_id: int) -> int:
    return services.fire_event_rules(execution_id)
