import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class TestCase(models.Model):
    """Mocked task responses for local runs, as one test case of Step Functions Local's MockConfigFile.

    `responses` maps a Task state's name to its mocked response: {"0": {"Return": …}, "1-2": {"Throw": …}}.
    """

    __test__ = False  # not a pytest test class, whatever its name says

    workflow = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="test_cases")
    name = models.CharField(max_length=80)
    responses = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workflow", "name"], name="test_case_unique_name")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    ABORTED = "ABORTED"
    PENDING_REDRIVE = "PENDING_REDRIVE"


class Execution(models.Model):
    """One run of a workflow version, or (with a parent) one Map iteration or Parallel branch of a run."""

    class Backend(models.TextChoices):
        LOCAL = "local"
        AWS = "aws"

    class Kind(models.TextChoices):
        EXECUTION = "execution"
        BRANCH = "branch"
        MAP_ITERATION = "map_iteration"

    class Waiting(models.TextChoices):
        """What a running execution waits for between steps; the sweeper ignores all but RUNNABLE."""

        RUNNABLE = "runnable", "ready for a worker"
        TIMER = "timer", "a Wait state or a retry back-off"
        CHILDREN = "children", "its Map iterations or Parallel branches"
        CALLBACK = "callback", "a task token or an activity worker"
        QUEUED = "queued", "a free slot under its parent's MaxConcurrency"
        PAUSED = "paused", "a breakpoint: the user continues or steps it"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Foreign keys whose lookups the composite indexes below already serve carry no index of their own:
    # every step writes these rows, and each extra index costs PostgreSQL time on every insert.
    workflow = models.ForeignKey(
        "designer.Workflow", on_delete=models.CASCADE, related_name="executions", db_index=False
    )
    version = models.ForeignKey(
        "designer.WorkflowVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="executions"
    )
    backend = models.CharField(max_length=10, choices=Backend.choices, default=Backend.LOCAL)
    name = models.CharField(max_length=80)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    input = models.JSONField(null=True, blank=True)
    output = models.JSONField(null=True, blank=True)
    # None is not "": a Fail state without Error reports no error at all, and AWS keeps the difference.
    error = models.TextField(null=True, blank=True)  # noqa: DJ001
    cause = models.TextField(null=True, blank=True)  # noqa: DJ001
    started_at = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    test_case = models.ForeignKey(TestCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    redrive_count = models.PositiveIntegerField(default=0)

    # The tree: Map iterations and Parallel branches are child executions, so they run on any worker.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", db_index=False
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.EXECUTION)
    child_index = models.PositiveIntegerField(null=True, blank=True)
    children_started = models.PositiveIntegerField(default=0)
    children_finished = models.PositiveIntegerField(default=0)
    children_failed = models.PositiveIntegerField(default=0)
    parent_sequence = models.PositiveIntegerField(
        null=True, blank=True, help_text="The parent's step that started this child; it moved on if that changed."
    )

    # The durable driver's bookkeeping (see executor/driver.py).
    snapshot = models.JSONField(null=True, blank=True, help_text="The engine's snapshot after the last step.")
    effect = models.JSONField(null=True, blank=True, help_text="What the last step asked the shell to do.")
    sequence = models.PositiveIntegerField(default=0, help_text="Steps taken; a step claims the row by it.")
    waiting = models.CharField(max_length=10, choices=Waiting.choices, default=Waiting.RUNNABLE)
    wake_at = models.DateTimeField(null=True, blank=True, help_text="When a timer is due.")
    touched_at = models.DateTimeField(auto_now_add=True, help_text="Last step written; the sweeper's clock.")
    aws_connection = models.ForeignKey(
        "designer.AwsConnection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Opted in: tasks no mock or handler serves call the real AWS service through it.",
    )  # fmt: skip
    caller_token = models.CharField(
        max_length=200, blank=True, default="", help_text="The token of a `.sync` task waiting for this execution."
    )
    remote_arn = models.CharField(max_length=2048, blank=True, default="", help_text="The AWS execution ARN.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workflow", "name"], condition=Q(parent__isnull=True), name="execution_unique_name"
            )
        ]
        indexes = [
            models.Index(fields=["workflow", "-started_at"]),
            models.Index(fields=["status", "waiting", "touched_at"]),
            models.Index(fields=["status", "waiting", "wake_at"]),
            models.Index(fields=["parent", "child_index"]),
        ]

    def __str__(self) -> str:
        return f"{self.workflow_id}/{self.name}"


class HistoryEvent(models.Model):
    """One event in AWS's GetExecutionHistory shape; the same table for local and AWS runs."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="events", db_index=False)
    event_id = models.PositiveIntegerField()
    previous_event_id = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    details = models.JSONField(default=dict, blank=True, help_text="{'…EventDetails': {…}} as AWS names it.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["execution", "event_id"], name="event_unique_id")]
        ordering = ["event_id"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class MockCount(models.Model):
    """How many mocked responses of a state a run has used: one counter per root execution and state, so
    that Map iterations and Parallel branches (child executions, on any worker) count together, as
    `asl.execute` and Step Functions Local do. Taken in the step's transaction (executor/resources.py):
    a step rolled back uses no response."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="+", db_index=False)
    state = models.CharField(max_length=80)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["execution", "state"], name="mock_count_unique_state")]

    def __str__(self) -> str:
        return f"{self.execution_id}/{self.state}: {self.used}"


class TaskToken(models.Model):
    """A task waiting for SendTaskSuccess/Failure (`.waitForTaskToken`), answered once."""

    token = models.CharField(max_length=200, unique=True)
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="task_tokens")
    state = models.CharField(max_length=80)
    sequence = models.PositiveIntegerField(help_text="The execution step that waits for it.")
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return self.token
