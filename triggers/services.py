"""Writes for triggers: schedules and their firing, webhooks and their calls, event rules and theirs.

Each start is recorded under a unique key in the same transaction as the execution it starts:
(schedule, due time), (webhook, Idempotency-Key), (rule, finished execution). A second worker, a
restarted beat or a repeated call meets the key and starts nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from designer.errors import Conflict, ServiceError
from designer.models import Workflow
from designer.roles import Role
from designer.selectors import require_role
from designer.services import MAX_PAYLOAD_BYTES, check_payload
from executor.models import Execution, Status
from executor.services import start_execution
from triggers import clock
from triggers.expressions import ExpressionError, parse, zone
from triggers.models import EventFiring, EventRule, Schedule, ScheduleFiring, Webhook, WebhookCall

log = logging.getLogger(__name__)

# A due time found later than this (everything was down) is reported as missed, not run late.
MISFIRE_GRACE = timedelta(minutes=5)
MISSED_COUNT_CAP = 10_000  # counting the missed times of a long outage stops here
EVENT_STATUSES = (Status.SUCCEEDED, Status.FAILED, Status.TIMED_OUT)
MAX_CHAIN_DEPTH = 10  # A → B → A … stops after this many rule-started executions in a row
EVENT_SWEEP_WINDOW = timedelta(minutes=15)  # finished executions the sweeper looks back over


# --- schedules ---------------------------------------------------------------------------------------


def _checked(expression: str, tz_name: str):
    try:
        return parse(expression), zone(tz_name)
    except ExpressionError as error:
        field = "/timezone" if "time zone" in str(error) else "/expression"
        raise ServiceError("invalid", str(error), {"field": field}) from None


def upcoming(schedule: Schedule, count: int = 5, *, now: datetime | None = None) -> list[datetime]:
    """The next `count` due times (none when the schedule is off)."""
    if not schedule.enabled:
        return []
    expression, tz = parse(schedule.expression), zone(schedule.timezone)
    after = max(now or clock.now(), schedule.start_at)
    return expression.upcoming(after, tz=tz, anchor=schedule.start_at, count=count)


def _save_schedule(schedule: Schedule) -> Schedule:
    try:
        with transaction.atomic():
            schedule.save()
    except IntegrityError:
        raise Conflict(
            "name_taken", f"The workflow already has a schedule named {schedule.name!r}.", {"field": "/name"}
        ) from None
    return schedule


@transaction.atomic
def create_schedule(
    *,
    user: AbstractBaseUser,
    workflow: Workflow,
    name: str,
    expression: str,
    timezone: str = "UTC",
    input: Any = None,
    enabled: bool = True,
) -> Schedule:
    require_role(user, workflow.team, Role.EDITOR, "manage schedules")
    parsed, tz = _checked(expression, timezone)
    input = {} if input is None else input
    check_payload(input, "input")
    now = clock.now()
    schedule = Schedule(
        workflow=workflow,
        name=name,
        expression=parsed.text,
        timezone=timezone,
        input=input,
        enabled=enabled,
        start_at=now,
        created_by=user,
    )
    schedule.next_due_at = parsed.next_after(now, tz=tz, anchor=now) if enabled else None
    return _save_schedule(schedule)


@transaction.atomic
def update_schedule(*, user: AbstractBaseUser, schedule: Schedule, **changes: Any) -> Schedule:
    """Change some of name, expression, timezone, input, enabled. A new expression or time zone, or
    turning the schedule on, counts due times from now: times while it was off are not missed."""
    require_role(user, schedule.workflow.team, Role.EDITOR, "manage schedules")
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    parsed, tz = _checked(changes.get("expression", schedule.expression), changes.get("timezone", schedule.timezone))
    if "input" in changes:
        changes["input"] = {} if changes["input"] is None else changes["input"]
        check_payload(changes["input"], "input")
    restart = (
        parsed.text != schedule.expression
        or changes.get("timezone", schedule.timezone) != schedule.timezone
        or (changes.get("enabled") and not schedule.enabled)
    )
    for field, value in changes.items():
        setattr(schedule, field, value)
    schedule.expression = parsed.text
    now = clock.now()
    if restart:
        schedule.start_at = now
    if not schedule.enabled:
        schedule.next_due_at = None
    elif restart or schedule.next_due_at is None:
        schedule.next_due_at = parsed.next_after(now, tz=tz, anchor=schedule.start_at)
    return _save_schedule(schedule)


@transaction.atomic
def delete_schedule(*, user: AbstractBaseUser, schedule: Schedule) -> None:
    require_role(user, schedule.workflow.team, Role.EDITOR, "manage schedules")
    schedule.delete()


def fire_due_schedules(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Start what is due. Called by the periodic task on every worker running beat; each schedule is
    claimed with a skipping row lock and each due time under a unique key, so it starts once."""
    now = now or clock.now()
    counts = {"started": 0, "missed": 0, "failed": 0}
    due = Schedule.objects.filter(enabled=True, next_due_at__lte=now, workflow__deleted_at__isnull=True)
    for pk in list(due.order_by("next_due_at").values_list("pk", flat=True)[:limit]):
        try:
            for outcome, n in _fire_schedule(pk, now).items():
                counts[outcome] += n
        except Exception:
            log.exception("schedule %s could not fire", pk)
    return counts


def _fire_schedule(pk: int, now: datetime) -> dict[str, int]:
    counts = {"started": 0, "missed": 0, "failed": 0}
    with transaction.atomic():
        schedule = (
            Schedule.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("workflow__team")
            .filter(pk=pk, enabled=True, next_due_at__lte=now)
            .first()
        )
        if schedule is None:
            return counts  # another worker holds it, or has just handled it
        expression, tz = parse(schedule.expression), zone(schedule.timezone)
        # Every due time from the first unhandled one up to now; only the latest may still run.
        times: list[datetime] = []
        at: datetime | None = schedule.next_due_at
        while at is not None and at <= now and len(times) < MISSED_COUNT_CAP:
            times.append(at)
            at = expression.next_after(at, tz=tz, anchor=schedule.start_at)
        if at is not None and at <= now:  # a very long outage: skip ahead without counting further
            at = expression.next_after(now, tz=tz, anchor=schedule.start_at)
        latest = times[-1] if times else None
        missed = times[:-1]
        if latest is not None and now - latest > MISFIRE_GRACE:
            missed, latest = times, None
        if missed:
            first, last = missed[0], missed[-1]
            _claim_due(
                schedule,
                first,
                ScheduleFiring.Outcome.MISSED,
                message=f"{len(missed)} due time(s) from {first.isoformat()} to {last.isoformat()} were missed "
                "while nothing ran; they were not run late.",
            )
            schedule.missed_count += len(missed)
            schedule.last_missed_at = last
            counts["missed"] += len(missed)
        if latest is not None:
            firing = _claim_due(schedule, latest, ScheduleFiring.Outcome.STARTED)
            if firing is not None:
                try:
                    execution = start_execution(
                        user=None,
                        workflow=schedule.workflow,
                        input=schedule.input,
                        name=_execution_name(f"{schedule.name}-{latest.astimezone(tz).strftime('%Y%m%dT%H%M%S')}"),
                    )
                    firing.execution = execution
                    schedule.last_started_at = latest
                    counts["started"] += 1
                except ServiceError as error:
                    firing.outcome, firing.message = ScheduleFiring.Outcome.FAILED, error.message[:500]
                    counts["failed"] += 1
                firing.save(update_fields=["execution", "outcome", "message"])
        schedule.next_due_at = at
        schedule.save(update_fields=["next_due_at", "last_started_at", "missed_count", "last_missed_at"])
    return counts


def _claim_due(schedule: Schedule, due_at: datetime, outcome: str, message: str = "") -> ScheduleFiring | None:
    try:
        with transaction.atomic():
            return ScheduleFiring.objects.create(schedule=schedule, due_at=due_at, outcome=outcome, message=message)
    except IntegrityError:
        return None  # handled already


def _execution_name(text: str) -> str:
    """Execution names: at most 80 characters of letters, digits, - and _."""
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in text)
    return cleaned[:80]


# --- webhooks ----------------------------------------------------------------------------------------

TOKEN_PREFIX = "swh_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(webhook: Webhook) -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    webhook.token_hash, webhook.prefix = hash_token(token), token[:12]
    return token


@transaction.atomic
def create_webhook(*, user: AbstractBaseUser, workflow: Workflow) -> tuple[Webhook, str]:
    """The workflow's webhook and its token, which is shown this once."""
    require_role(user, workflow.team, Role.EDITOR, "manage webhooks")
    if Webhook.objects.filter(workflow=workflow).exists():
        raise Conflict("webhook_exists", "The workflow has a webhook already; rotate its token for a new one.")
    webhook = Webhook(workflow=workflow, created_by=user)
    token = _new_token(webhook)
    webhook.save()
    return webhook, token


@transaction.atomic
def rotate_webhook(*, user: AbstractBaseUser, webhook: Webhook) -> tuple[Webhook, str]:
    """A new token; the old one stops working at once."""
    require_role(user, webhook.workflow.team, Role.EDITOR, "manage webhooks")
    token = _new_token(webhook)
    webhook.rotated_at = timezone.now()
    webhook.save(update_fields=["token_hash", "prefix", "rotated_at"])
    return webhook, token


@transaction.atomic
def delete_webhook(*, user: AbstractBaseUser, webhook: Webhook) -> None:
    require_role(user, webhook.workflow.team, Role.EDITOR, "manage webhooks")
    webhook.delete()


def parse_body(body: bytes) -> Any:
    """A webhook body as an execution's input: empty is {}, anything else must be JSON within 256 KiB."""
    if len(body) > MAX_PAYLOAD_BYTES:
        raise ServiceError(
            "payload_too_large", "The body is larger than 256 KiB, the most an execution's input may be.",
            status_code=413,
        )  # fmt: skip
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise ServiceError("invalid_json", f"The body is not JSON: {error}.") from None


@transaction.atomic
def call_webhook(*, token: str, input: Any, idempotency_key: str | None = None) -> tuple[Execution, bool]:
    """Start the webhook's workflow with `input`; (execution, True) when started now, (execution, False)
    when the Idempotency-Key was seen before and this is the execution it started."""
    webhook = (
        Webhook.objects.select_related("workflow__team")
        .filter(token_hash=hash_token(token), enabled=True, workflow__deleted_at__isnull=True)
        .first()
    )
    if webhook is None:
        raise Http404
    call = None
    if idempotency_key:
        if len(idempotency_key) > 255:
            raise ServiceError("invalid", "The Idempotency-Key header is at most 255 characters.")
        try:
            # On PostgreSQL a concurrent call with the same key waits here until the first one commits.
            with transaction.atomic():
                call = WebhookCall.objects.create(webhook=webhook, key=idempotency_key)
        except IntegrityError:
            earlier = WebhookCall.objects.select_related("execution").get(webhook=webhook, key=idempotency_key)
            if earlier.execution is None:
                raise Conflict("execution_gone", "The execution this key started was deleted.") from None
            return earlier.execution, False
    execution = start_execution(user=None, workflow=webhook.workflow, input=input)
    if call is not None:
        call.execution = execution
        call.save(update_fields=["execution"])
    Webhook.objects.filter(pk=webhook.pk).update(last_called_at=timezone.now())
    return execution, True


# --- event rules -------------------------------------------------------------------------------------


def _check_statuses(statuses: list[str]) -> list[str]:
    allowed = [str(s) for s in EVENT_STATUSES]
    if not statuses or any(s not in allowed for s in statuses):
        raise ServiceError("invalid", f"statuses are some of {', '.join(allowed)}.", {"field": "/statuses"})
    return [s for s in allowed if s in statuses]


@transaction.atomic
def create_event_rule(
    *, user: AbstractBaseUser, workflow: Workflow, source: Workflow, statuses: list[str], enabled: bool = True
) -> EventRule:
    """Start `workflow` when an execution of `source` ends with one of `statuses`. The source's results
    flow into the workflow's team, so the user must be able to run the source too."""
    require_role(user, workflow.team, Role.EDITOR, "manage event rules")
    require_role(user, source.team, Role.RUNNER, "start workflows from this workflow's results")
    rule = EventRule(
        workflow=workflow, source=source, statuses=_check_statuses(statuses), enabled=enabled, created_by=user
    )
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise Conflict(
            "rule_exists", f"A rule already starts this workflow after {source.name!r}; change that one.",
            {"field": "/source"},
        ) from None  # fmt: skip
    return rule


@transaction.atomic
def update_event_rule(
    *, user: AbstractBaseUser, rule: EventRule, statuses: list[str] | None = None, enabled: bool | None = None
) -> EventRule:
    require_role(user, rule.workflow.team, Role.EDITOR, "manage event rules")
    if statuses is not None:
        rule.statuses = _check_statuses(statuses)
    if enabled is not None:
        rule.enabled = enabled
    rule.save(update_fields=["statuses", "enabled"])
    return rule


@transaction.atomic
def delete_event_rule(*, user: AbstractBaseUser, rule: EventRule) -> None:
    require_role(user, rule.workflow.team, Role.EDITOR, "manage event rules")
    rule.delete()


def event_input(source: Execution) -> Any:
    """What a follow-up gets: the output of a success; {"Error", "Cause"} of a failure or time-out."""
    if source.status == Status.SUCCEEDED:
        return {} if source.output is None else source.output
    return {"Error": source.error, "Cause": source.cause}


def fire_event_rules(execution_id: int) -> int:
    """Start the follow-ups of a finished execution, each once; returns how many started."""
    source = Execution.objects.filter(pk=execution_id, parent__isnull=True, status__in=EVENT_STATUSES).first()
    if source is None:
        return 0
    rules = EventRule.objects.select_related("workflow__team").filter(
        source_id=source.workflow_id, enabled=True, workflow__deleted_at__isnull=True
    )
    depth = (EventFiring.objects.filter(execution_id=source.pk).values_list("depth", flat=True).first() or 0) + 1
    started = 0
    for rule in rules:
        if source.status not in rule.statuses or (source.stopped_at and source.stopped_at < rule.created_at):
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    firing = EventFiring.objects.create(rule=rule, source_execution=source, depth=depth)
            except IntegrityError:
                continue  # started already
            if depth > MAX_CHAIN_DEPTH:
                firing.message = f"Not started: {MAX_CHAIN_DEPTH} rules in a row started executions; is it a loop?"
            else:
                try:
                    firing.execution = start_execution(user=None, workflow=rule.workflow, input=event_input(source))
                    started += 1
                except ServiceError as error:
                    firing.message = error.message[:500]
            firing.save(update_fields=["execution", "message"])
    return started


def sweep_event_rules(*, now: datetime | None = None) -> int:
    """Fire the rules of recently finished executions whose hook was lost (a worker died after its commit)."""
    now = now or timezone.now()
    started = 0
    for rule in EventRule.objects.filter(enabled=True):
        finished = (
            Execution.objects.filter(
                workflow_id=rule.source_id,
                parent__isnull=True,
                status__in=rule.statuses,
                stopped_at__gte=max(now - EVENT_SWEEP_WINDOW, rule.created_at),
                stopped_at__lte=now - timedelta(seconds=5),
            )
            .exclude(pk__in=EventFiring.objects.filter(rule=rule).values("source_execution_id"))
            .values_list("pk", flat=True)
        )
        for pk in list(finished[:200]):
            started += fire_event_rules(pk)
    return started
