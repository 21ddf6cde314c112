from django.conf import settings
from django.db import models
from django.db.models import Q

from designer.roles import Role


class Team(models.Model):
    name = models.CharField(max_length=100)
    personal = models.BooleanField(default=False, help_text="Created with its user; the user's own space.")
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="teams")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user")]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.team}"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token itself is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, so users can tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ValidationStatus(models.TextChoices):
    VALID = "valid", "Valid"
    INVALID = "invalid", "Invalid"
    UNKNOWN = "unknown", "Unknown"


class Workflow(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="workflows")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, default="")
    tags = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The draft: the definition text exactly as written (JSON or YAML, comments and all) and the layout.
    draft_definition = models.TextField(blank=True, default="")
    draft_layout = models.JSONField(default=dict, blank=True)
    draft_revision = models.PositiveIntegerField(default=1)
    draft_updated_at = models.DateTimeField(auto_now_add=True)
    draft_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    validation_status = models.CharField(
        max_length=10, choices=ValidationStatus.choices, default=ValidationStatus.UNKNOWN
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            # Deleted workflows keep their name, so a new one may take it while they wait in the bin.
            models.UniqueConstraint(
                fields=["team", "name"], condition=Q(deleted_at__isnull=True), name="workflow_unique_live_name"
            )
        ]
        indexes = [models.Index(fields=["team", "deleted_at", "-updated_at"])]

    def __str__(self) -> str:
        return self.name


class WorkflowVersion(models.Model):
    """An immutable snapshot of a workflow's definition and layout."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.TextField()
    layout = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    message = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    validation_status = models.CharField(max_length=10, choices=ValidationStatus.choices)
    diagnostics = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workflow", "number"], name="version_unique_number")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.workflow} v{self.number}"


class SampleInput(models.Model):
    """A named input saved with a workflow: the run dialog offers it to everyone in the team."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="sample_inputs")
    name = models.CharField(max_length=80)
    input = models.JSONField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workflow", "name"], name="sample_input_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """One line of a team's activity log: who did what, when."""

    class Verb(models.TextChoices):
        CREATED = "created", "created"
        UPDATED = "updated", "updated"
        SAVED_VERSION = "saved_version", "saved a version of"
        RESTORED_VERSION = "restored_version", "restored a version of"
        DELETED = "deleted", "deleted"
        UNDELETED = "undeleted", "recovered"
        DUPLICATED = "duplicated", "duplicated"
        MOVED_IN = "moved_in", "moved in"
        MOVED_OUT = "moved_out", "moved out"
        ADDED_MEMBER = "added_member", "added a member"
        CHANGED_ROLE = "changed_role", "changed a role"
        REMOVED_MEMBER = "removed_member", "removed a member"
        RAN = "ran", "ran"
        DEPLOYED = "deployed", "deployed"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    workflow = models.ForeignKey(Workflow, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=200, help_text="What it was done to, as it was named then.")
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()} {self.subject}"


from designer.aws.models import *  # noqa: E402,F403  (AWS connections and deployments live in designer/aws/)
