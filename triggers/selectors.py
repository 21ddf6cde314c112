"""Reads of triggers, scoped through the workflow the user can see (404 otherwise)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from designer.models import Workflow
from designer.selectors import get_workflow
from triggers.models import EventRule, Schedule, ScheduleFiring, Webhook


def schedules_of(workflow: Workflow) -> QuerySet[Schedule]:
    return workflow.schedules.order_by("name")


def get_schedule(user: AbstractBaseUser, workflow_pk: int, pk: int) -> Schedule:
    schedule = schedules_of(get_workflow(user, workflow_pk)).select_related("workflow__team").filter(pk=pk).first()
    if schedule is None:
        raise Http404
    return schedule


def recent_firings(schedule: Schedule, limit: int = 10) -> QuerySet[ScheduleFiring]:
    return schedule.firings.order_by("-due_at")[:limit]


def get_webhook(user: AbstractBaseUser, workflow_pk: int) -> Webhook:
    webhook = Webhook.objects.select_related("workflow__team").filter(workflow=get_workflow(user, workflow_pk)).first()
    if webhook is None:
        raise Http404
    return webhook


def event_rules_of(workflow: Workflow) -> QuerySet[EventRule]:
    return workflow.event_rules.select_related("source", "workflow__team").order_by("created_at", "id")


def get_event_rule(user: AbstractBaseUser, workflow_pk: int, pk: int) -> EventRule:
    rule = event_rules_of(get_workflow(user, workflow_pk)).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule
