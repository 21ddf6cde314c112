"""Schedules, webhooks and event rules that start executions, and the record of what each started."""

from django.conf import settings
from django.db import models


class Schedule(models.Model):
    """Start the workflow at the due times of an EventBridge Scheduler expression, with a fixed input."""

    workflow = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="schedules")
    name = models.CharField(max_length=64)
    expression = models.CharField(max_length=256, help_text="cron(...) or rate(...), as EventBridge Scheduler.")
    timezone = models.CharField(max_length=64, default="UTC")
    input = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)
    start_at = models.DateTimeField(help_text="Due times come after this; rates count from it.")
    next_due_at = models.DateTimeField(null=True, blank=True, help_text="The first due time not yet handled.")
    last_started_at = models.DateTimeField(null=True, blank=True, help_text="The due time of the last start.")
    missed_count = models.PositiveIntegerField(default=0, help_text="Due times passed while nothing ran.")
    last_missed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workflow", "name"], name="schedule_unique_name")]
        indexes = [models.Index(fields=["enabled", "next_due_at"])]

    def __str__(self) -> str:
        return f"{self.name} {self.expression}"


class ScheduleFiring(models.Model):
    """One due time of a schedule, handled once: the unique (schedule, due_at) makes it so across workers."""

    class Outcome(models.TextChoices):
        STARTED = "started"
        MISSED = "missed"
        FAILED = "failed"

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="firings")
    due_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    execution = models.ForeignKey(
        "executor.Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["schedule", "due_at"], name="schedule_firing_unique_due")]
        ordering = ["-due_at"]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.due_at} {self.outcome}"


class Webhook(models.Model):
    """A workflow's URL that starts it. Only the token's hash is stored; the token is shown once."""

    workflow = models.OneToOneField("designer.Workflow", on_delete=models.CASCADE, related_name="webhook")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart.")
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    last_called_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"webhook of {self.workflow_id} ({self.prefix}…)"


class WebhookCall(models.Model):
    """A call that carried an Idempotency-Key: the same key again returns the same execution."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="calls")
    key = models.CharField(max_length=255)
    execution = models.ForeignKey(
        "executor.Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["webhook", "key"], name="webhook_call_unique_key")]

    def __str__(self) -> str:
        return self.key


class EventRule(models.Model):
    """Start `workflow` when an execution of `source` ends with one of `statuses`."""

    workflow = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="event_rules")
    source = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="downstream_rules")
    statuses = models.JSONField(default=list, help_text="Some of SUCCEEDED, FAILED, TIMED_OUT.")
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workflow", "source"], name="event_rule_unique_source")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.workflow_id}"


class EventFiring(models.Model):
    """A rule applied to one finished execution, once (unique per rule and source execution)."""

    rule = models.ForeignKey(EventRule, on_delete=models.CASCADE, related_name="firings")
    source_execution = models.ForeignKey("executor.Execution", on_delete=models.CASCADE, related_name="+")
    execution = models.ForeignKey(
        "executor.Execution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    depth = models.PositiveIntegerField(default=1, help_text="How many rules led to this start.")
    message = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "source_execution"], name="event_firing_unique_source")]

    def __str__(self) -> str:
        return f"{self.rule_id} on {self.source_execution_id}"
