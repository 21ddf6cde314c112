"""The polling task of executions on AWS. Registered through designer/aws/__init__.py, which Django
imports with designer.models, so every worker knows it without a settings change."""

from celery import shared_task


@shared_task(name="designer.aws.tasks.poll_aws_execution", ignore_result=True, time_limit=120, soft_time_limit=100)
def poll_aws_execution(execution_id: int) -> None:
    """Copy new history of one AWS execution, then poll again later unless it ended."""
    from designer.aws import executions

    countdown = executions.poll(execution_id)
    if countdown is not None:
        poll_aws_execution.apply_async((execution_id,), countdown=countdown)
