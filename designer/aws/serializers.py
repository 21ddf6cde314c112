"""Connections and deployments in and out. Secrets are write-only: no serializer here can output one."""

from __future__ import annotations

from rest_framework import serializers

from designer.aws.models import AwsConnection, Deployment
from designer.serializers import StrictSerializer

REGION = r"^[a-z]{2}(-[a-z]+)+-\d$"


class ConnectionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)
    has_access_key = serializers.SerializerMethodField()
    has_external_id = serializers.SerializerMethodField()

    class Meta:
        model = AwsConnection
        fields = [
            "id",
            "team",
            "name",
            "region",
            "auth_mode",
            "role_arn",
            "has_external_id",
            "has_access_key",
            "access_key_hint",
            "endpoint_url",
            "account_id",
            "tested_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_access_key(self, connection: AwsConnection) -> bool:
        return bool(connection.secret_ciphertext)

    def get_has_external_id(self, connection: AwsConnection) -> bool:
        return bool(connection.external_id)


class ConnectionWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80)
    region = serializers.RegexField(REGION, max_length=30, help_text="us-east-1, eu-west-2, ...")
    auth_mode = serializers.ChoiceField(choices=AwsConnection.AuthMode.choices, default="default")
    role_arn = serializers.CharField(max_length=2048, required=False, allow_blank=True)
    external_id = serializers.CharField(max_length=1224, required=False, allow_blank=True, write_only=True)
    access_key_id = serializers.RegexField(r"^[A-Z0-9]{16,128}$", required=False, write_only=True)
    secret_access_key = serializers.CharField(
        max_length=256, required=False, write_only=True, trim_whitespace=True, style={"input_type": "password"}
    )
    session_token = serializers.CharField(
        max_length=4096, required=False, allow_blank=True, write_only=True, style={"input_type": "password"}
    )
    endpoint_url = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Only for AWS-compatible endpoints (LocalStack, moto).",
    )


class ConnectionTestSerializer(serializers.Serializer):
    account = serializers.CharField()
    arn = serializers.CharField()
    region = serializers.CharField()


class TagsField(serializers.DictField):
    child = serializers.CharField(max_length=256, allow_blank=True)


class DeployOptionsSerializer(StrictSerializer):
    connection = serializers.IntegerField()
    version = serializers.IntegerField(required=False, min_value=1, help_text="The latest version when left out.")
    name = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text="Left out: the linked state machine's, else from the workflow's name.",
    )
    type = serializers.ChoiceField(
        choices=["STANDARD", "EXPRESS"],
        required=False,
        help_text="Left out: the linked state machine's, else STANDARD.",
    )
    role_arn = serializers.CharField(
        max_length=2048,
        required=False,
        allow_blank=True,
        default="",
        help_text="Left out (and no create_role): the role of the state machine the workflow is linked to.",
    )
    create_role = serializers.BooleanField(default=False)
    role_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    alias = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    tags = TagsField(required=False, default=dict)
    log_level = serializers.ChoiceField(choices=["OFF", "ALL", "ERROR", "FATAL"], default="OFF")
    log_group_arn = serializers.CharField(max_length=2048, required=False, allow_blank=True, default="")
    include_execution_data = serializers.BooleanField(default=False)
    tracing = serializers.BooleanField(default=False)

    def validate_tags(self, tags: dict) -> dict:
        if len(tags) > 50:
            raise serializers.ValidationError("AWS allows 50 tags.")
        if any(not key or len(key) > 128 for key in tags):
            raise serializers.ValidationError("A tag key has 1 to 128 characters.")
        return tags


class DeploymentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)

    class Meta:
        model = Deployment
        fields = [
            "id",
            "workflow",
            "version",
            "connection",
            "connection_name",
            "region",
            "created_by",
            "created_at",
            "finished_at",
            "state_machine_name",
            "type",
            "action",
            "outcome",
            "state_machine_arn",
            "state_machine_version_arn",
            "alias_arn",
            "role_arn",
            "definition_hash",
            "options",
            "policy",
            "steps",
            "error_code",
            "error_message",
            "aws_error",
        ]
        read_only_fields = fields


class ImportSerializer(StrictSerializer):
    state_machine_arn = serializers.CharField(max_length=2048)
    workflow = serializers.IntegerField(
        required=False, help_text="Import as a new version of this (linked) workflow; a new workflow when left out."
    )
    name = serializers.CharField(max_length=80, required=False, help_text="The new workflow's name.")
    overwrite_draft = serializers.BooleanField(default=False)


class OpenExecutionSerializer(StrictSerializer):
    execution_arn = serializers.CharField(max_length=2048)
    connection = serializers.IntegerField(required=False, help_text="When the workflow is deployed through several.")


class AwsTaskSuccessSerializer(StrictSerializer):
    token = serializers.CharField(max_length=2048)
    output = serializers.JSONField()
    connection = serializers.IntegerField(required=False)


class AwsTaskHeartbeatSerializer(StrictSerializer):
    token = serializers.CharField(max_length=2048)
    connection = serializers.IntegerField(required=False)


class AwsTaskFailureSerializer(StrictSerializer):
    token = serializers.CharField(max_length=2048)
    error = serializers.CharField(required=False, allow_null=True, default=None, max_length=256)
    cause = serializers.CharField(required=False, allow_null=True, default=None, max_length=32768)
    connection = serializers.IntegerField(required=False)


class PlanRoleSerializer(serializers.Serializer):
    arn = serializers.CharField()
    create = serializers.BooleanField()
    name = serializers.CharField(allow_blank=True)
    policy = serializers.DictField()
    trust_policy = serializers.DictField(allow_null=True)


class DeployPlanSerializer(serializers.Serializer):
    """What a deploy would do (documentation of the plan's shape; the view returns the service's dict)."""

    action = serializers.ChoiceField(choices=["create", "update"])
    already_deployed = serializers.BooleanField()
    changes = serializers.ListField(child=serializers.CharField(), help_text="definition, role, logging, tracing, tags")
    state_machine_name = serializers.CharField()
    state_machine_arn = serializers.CharField()
    account = serializers.CharField()
    region = serializers.CharField()
    type = serializers.CharField()
    version = serializers.IntegerField()
    definition = serializers.CharField(help_text="The JSON sent to AWS.")
    diff = serializers.DictField(allow_null=True, help_text="Against the definition on AWS (as /workflows/{id}/diff/).")
    role = PlanRoleSerializer()
    policy = serializers.DictField()
    warnings = serializers.ListField(child=serializers.CharField())


class DriftLinkSerializer(serializers.Serializer):
    connection = serializers.DictField()
    state_machine_name = serializers.CharField()
    state_machine_arn = serializers.CharField()
    status = serializers.ChoiceField(choices=["in_sync", "behind", "changed_on_aws", "missing", "unknown"])
    deployed_version = serializers.IntegerField(allow_null=True)
    latest_version = serializers.IntegerField(allow_null=True)
    error = serializers.DictField(allow_null=True)


class AwsStatusSerializer(serializers.Serializer):
    links = DriftLinkSerializer(many=True)
    drift = serializers.BooleanField(help_text="True when any linked state machine is not in sync.")


class WaitingTaskSerializer(serializers.Serializer):
    state = serializers.CharField(allow_null=True)
    event_id = serializers.IntegerField()
    resource = serializers.CharField()
    token = serializers.CharField(allow_null=True, help_text="Answer it at /api/workflows/{id}/aws/task-tokens/…")


class AwsExecutionDetailsSerializer(serializers.Serializer):
    execution = serializers.IntegerField()
    execution_arn = serializers.CharField()
    state_machine_arn = serializers.CharField()
    connection = serializers.DictField(allow_null=True)
    express = serializers.BooleanField()
    history_on_aws = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)
    polled_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(allow_blank=True)
    console_url = serializers.URLField()
    waiting_tasks = WaitingTaskSerializer(many=True)
