"""AWS connections and deployments; imported by designer.models so Django finds them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["AwsConnection", "AwsExecution", "AwsLink", "Deployment"]


class AwsConnection(models.Model):
    """How a team reaches one AWS account in one region. Owners manage them.

    The access key pair (auth mode `access_key`) lives only in `secret_ciphertext`, encrypted with the
    key from the environment (designer/aws/crypto.py); nothing ever returns or logs it.
    """

    class AuthMode(models.TextChoices):
        DEFAULT = "default", "The server's default credential chain"
        ASSUME_ROLE = "assume_role", "Assume an IAM role"
        ACCESS_KEY = "access_key", "An access key pair"

    team = models.ForeignKey("designer.Team", on_delete=models.CASCADE, related_name="aws_connections")
    name = models.CharField(max_length=80)
    region = models.CharField(max_length=30)
    auth_mode = models.CharField(max_length=12, choices=AuthMode.choices, default=AuthMode.DEFAULT)
    role_arn = models.CharField(max_length=2048, blank=True, default="")
    external_id = models.CharField(max_length=1224, blank=True, default="")
    access_key_hint = models.CharField(
        max_length=12, blank=True, default="", help_text="The access key id's last four characters, to tell keys apart."
    )
    secret_ciphertext = models.TextField(blank=True, default="")
    endpoint_url = models.CharField(max_length=300, blank=True, default="")
    account_id = models.CharField(max_length=12, blank=True, default="", help_text="From the last test.")
    tested_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="awsconnection_unique_team_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"

    def __repr__(self) -> str:  # never the ciphertext, not even in a traceback
        return f"<AwsConnection {self.pk} {self.name!r} {self.auth_mode}>"


class AwsLink(models.Model):
    """A workflow and the state machine it is deployed to (or was imported from) through a connection."""

    workflow = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="aws_links")
    connection = models.ForeignKey(AwsConnection, on_delete=models.CASCADE, related_name="links")
    state_machine_name = models.CharField(max_length=80)
    state_machine_arn = models.CharField(max_length=2048)
    type = models.CharField(max_length=10, default="STANDARD")
    role_arn = models.CharField(max_length=2048, blank=True, default="")
    tags = models.JSONField(default=dict, blank=True)
    deployed_version = models.ForeignKey(
        "designer.WorkflowVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deployed_definition_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "state_machine_arn"], name="awslink_unique_state_machine")
        ]
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.workflow} -> {self.state_machine_arn}"


class Deployment(models.Model):
    """One deploy attempt: who, when, which version, where, and how it went (AWS's error if any)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "In progress"
        SUCCEEDED = "succeeded", "Deployed"
        ALREADY_DEPLOYED = "already_deployed", "Already deployed"
        FAILED = "failed", "Failed"

    class Action(models.TextChoices):
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        NONE = "none", "None"

    workflow = models.ForeignKey("designer.Workflow", on_delete=models.CASCADE, related_name="deployments")
    version = models.ForeignKey("designer.WorkflowVersion", on_delete=models.CASCADE, related_name="deployments")
    connection = models.ForeignKey(AwsConnection, null=True, on_delete=models.SET_NULL, related_name="deployments")
    connection_name = models.CharField(max_length=80, help_text="As it was named then.")
    region = models.CharField(max_length=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state_machine_name = models.CharField(max_length=80)
    type = models.CharField(max_length=10, default="STANDARD")
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.NONE)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    state_machine_arn = models.CharField(max_length=2048, blank=True, default="")
    state_machine_version_arn = models.CharField(max_length=2048, blank=True, default="")
    alias_arn = models.CharField(max_length=2048, blank=True, default="")
    role_arn = models.CharField(max_length=2048, blank=True, default="")
    definition_hash = models.CharField(max_length=64, blank=True, default="")
    options = models.JSONField(default=dict, blank=True)
    policy = models.JSONField(default=dict, blank=True)
    steps = models.JSONField(default=list, blank=True, help_text="What was done on AWS, in order.")
    error_code = models.CharField(max_length=100, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    aws_error = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workflow", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.workflow} v{self.version.number} -> {self.state_machine_name}: {self.outcome}"


class AwsExecution(models.Model):
    """The AWS side of an execution run on AWS (executor backend `aws`): where it runs and how far its
    history has been copied into HistoryEvent rows."""

    execution = models.OneToOneField("executor.Execution", on_delete=models.CASCADE, related_name="aws")
    connection = models.ForeignKey(AwsConnection, null=True, on_delete=models.SET_NULL, related_name="executions")
    state_machine_arn = models.CharField(max_length=2048)
    express = models.BooleanField(default=False, help_text="Express: run synchronously, no history on AWS.")
    next_token = models.TextField(blank=True, default="", help_text="Where the history copy goes on.")
    polled_at = models.DateTimeField(null=True, blank=True)
    watched_until = models.DateTimeField(null=True, blank=True, help_text="Someone reads it: poll quickly.")
    idle_polls = models.PositiveIntegerField(default=0, help_text="Polls in a row that found nothing new.")
    failed_polls = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"{self.execution} on {self.state_machine_arn}"
