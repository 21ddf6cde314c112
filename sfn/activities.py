"""Activities: CreateActivity, DescribeActivity, ListActivities, DeleteActivity and GetActivityTask.

A Task state whose Resource is an activity ARN waits, like a `.waitForTaskToken` task, until a worker
takes it with GetActivityTask and answers with SendTaskSuccess/Failure: the executor parks it as a
callback (executor/resources.py), a TaskToken row for the waiting step, the execution's pending effect
naming the activity. GetActivityTask claims one such token at a time (a unique ActivityClaim row, so two
workers never get the same task) and long-polls like AWS, for up to STEPWRIGHT_SFN_ACTIVITY_POLL_SECONDS:
5 by default, not AWS's 60, because a poll holds a web worker (gunicorn runs 3 sync workers in compose)
and the SDKs' activity loops simply poll again after an empty answer.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.db import IntegrityError, transaction

from designer.roles import Role
from designer.selectors import require_role
from executor.models import Execution, Status, TaskToken
from sfn import arns, services
from sfn.errors import SfnError
from sfn.models import Activity, ActivityClaim
from sfn.sigv4 import Caller


def poll_seconds() -> float:
    return float(os.environ.get("STEPWRIGHT_SFN_ACTIVITY_POLL_SECONDS", "5"))


def arn_of(caller: Caller, activity: Activity) -> str:
    return arns.activity(caller.region, activity.team_id, activity.name)


def get(caller: Caller, text: str) -> Activity:
    arn = arns.parse(text)
    if arn is None or arn.kind != "activity":
        raise SfnError("InvalidArn", f"Invalid Arn: 'Resource type not valid in this context: {text}'")
    found = None
    if arn.team_id == caller.team.pk:
        found = Activity.objects.filter(team=caller.team, name=arn.resource).first()
    if found is None:
        raise SfnError("ActivityDoesNotExist", f"Activity Does Not Exist: '{text}'")
    return found


def create(caller: Caller, name: str, tags: list[dict[str, str]]) -> Activity:
    require_role(caller.user, caller.team, Role.EDITOR, "create activities")
    try:
        with transaction.atomic():
            activity, _ = Activity.objects.get_or_create(
                team=caller.team, name=name, defaults={"tags": services.tags_to_list(tags)}
            )
    except IntegrityError:  # created by a concurrent call: the same activity, as AWS's idempotent create
        activity = Activity.objects.get(team=caller.team, name=name)
    return activity


def delete(caller: Caller, activity: Activity) -> None:
    require_role(caller.user, caller.team, Role.EDITOR, "delete activities")
    activity.delete()


def _waiting_for(activity: Activity) -> list[TaskToken]:
    """Unclaimed tokens of running executions of the team that wait on this activity right now."""
    tokens = (
        TaskToken.objects.filter(
            execution__workflow__team_id=activity.team_id,
            execution__status=Status.RUNNING,
            execution__waiting=Execution.Waiting.CALLBACK,
            answered_at__isnull=True,
            sfn_claim__isnull=True,
        )
        .select_related("execution")
        .order_by("created_at", "id")[:100]
    )
    out = []
    for token in tokens:
        effect = token.execution.effect or {}
        arn = arns.parse(effect.get("resource", ""))
        if (
            token.sequence == token.execution.sequence
            and arn is not None
            and arn.kind == "activity"
            and arn.resource == activity.name
        ):
            out.append(token)
    return out


def take_task(caller: Caller, activity: Activity, worker_name: str) -> dict[str, Any]:
    require_role(caller.user, caller.team, Role.RUNNER, "work on activities")
    deadline = time.monotonic() + poll_seconds()
    while True:
        for token in _waiting_for(activity):
            try:
                with transaction.atomic():
                    ActivityClaim.objects.create(token=token, activity=activity, worker_name=worker_name)
            except IntegrityError:
                continue  # another worker took it first
            return {"taskToken": token.token, "input": services.dumps(token.execution.effect.get("parameters"))}
        if time.monotonic() >= deadline:
            return {}
        time.sleep(0.25)
