from celery import shared_task

from executor import driver


# Late acknowledgement is safe: a step claims its row by sequence number, so a redelivered one is a no-op.
@shared_task(acks_late=True, ignore_result=True, time_limit=300, soft_time_limit=240)
def step_execution(execution_id: int, sequence: int) -> None:
    driver.advance(execution_id, sequence)


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=50)
def sweep_executions() -> dict:
    return driver.sweep()
