"""Models of the Step Functions API endpoint: access keys, state-machine settings, aliases, activities.

A state machine *is* a designer Workflow (its versions are WorkflowVersions, its executions Executions);
this app keeps only what the Step Functions API knows and the designer does not.
"""

from django.conf import settings
from django.db import models


class AccessKey(models.Model):
    """An access key pair for the Step Functions endpoint. It acts as its user, in one team, with the
    user's current role there. The secret is stored encrypted (SigV4 needs it to check a signature) and
    shown once, at creation."""

    team = models.ForeignKey("designer.Team", on_delete=models.CASCADE, related_name="sfn_access_keys")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sfn_access_keys")
    name = models.CharField(max_length=100, blank=True, default="")
    access_key_id = models.CharField(max_length=32, unique=True)
    secret_encrypted = models.TextField(help_text="The secret access key, encrypted at rest (designer/aws/crypto.py).")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.access_key_id


class MachineSettings(models.Model):
    """What CreateStateMachine says beyond the definition. Workflows made in the designer have none
    and read as STANDARD machines with the team's default role."""

    class Type(models.TextChoices):
        STANDARD = "STANDARD"
        EXPRESS = "EXPRESS"

    workflow = models.OneToOneField("designer.Workflow", on_delete=models.CASCADE, related_name="sfn_settings")
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.STANDARD)
    role_arn = models.CharField(max_length=256, blank=True, default="")
    logging_configuration = models.JSONField(null=True, blank=True)
    tracing_configuration = models.JSONField(null=True, blank=True)
    encryption_configuration = models.JSONField(null=True, blank=True)
    published = models.JSONField(
        default=dict, blank=True, help_text="Version number → its versionDescription, for published versions."
    )

    def __str__(self) -> str:
        return f"{self.workflow} ({self.type})"


class Alias(models.Model):
    """A state machine alias: a name routing executions to one or two versions by weight."""

    workflow = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="sfn_aliases")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=256, blank=True, default="")
    routing = models.JSONField(default=list, help_text='[{"version": 3, "weight": 100}]')
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workflow", "name"], name="sfn_alias_unique_name")]

    def __str__(self) -> str:
        return f"{self.workflow}:{self.name}"


class Activity(models.Model):
    """An activity: a Task resource served by workers polling GetActivityTask."""

    team = models.ForeignKey("designer.Team", on_delete=models.CASCADE, related_name="sfn_activities")
    name = models.CharField(max_length=80)
    tags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="sfn_activity_unique_name")]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.name


class ActivityClaim(models.Model):
    """A waiting activity task handed to one worker by GetActivityTask (the unique row is the claim)."""

    token = models.OneToOneField("executor.TaskToken", on_delete=models.CASCADE, related_name="sfn_claim")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="claims")
    worker_name = models.CharField(max_length=80, blank=True, default="")
    claimed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.activity} → {self.worker_name or 'a worker'}"


class ExecutionOrigin(models.Model):
    """How an execution was started through the endpoint: by a version ARN or an alias ARN (AWS reports
    both as stateMachineVersionArn / stateMachineAliasArn). Executions started otherwise have none."""

    execution = models.OneToOneField("executor.Execution", on_delete=models.CASCADE, related_name="sfn_origin")
    alias_name = models.CharField(max_length=80, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.execution} via {self.alias_name or 'a version'}"
