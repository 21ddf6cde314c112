from celery import shared_task

from designer import services


@shared_task(time_limit=300, soft_time_limit=240)
def purge_deleted_workflows() -> int:
    """Hourly: forget workflows that stayed in the bin longer than the recovery period."""
    return services.purge_deleted_workflows()
