"""Serializers: input checked field by field (unknown fields refused), output in one shape per resource."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designer.models import Activity, ApiToken, Membership, SampleInput, Team, Workflow, WorkflowVersion
from designer.roles import Role

User = get_user_model()


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know: a typo must not be silently ignored."""

    def validate(self, attrs: dict) -> dict:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return attrs


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "object"}]})
class DefinitionField(serializers.Field):
    """The ASL definition as text (JSON or YAML, kept byte for byte); an object is accepted and pretty-printed."""

    default_error_messages = {
        "type": "Expected the definition as a string (JSON or YAML) or a JSON object.",
        "too_large": "The definition is larger than {limit} KiB, AWS's limit.",
    }

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, dict):
            data = json.dumps(data, indent=2) + "\n"
        if not isinstance(data, str):
            self.fail("type")
        if len(data.encode()) > settings.MAX_DEFINITION_BYTES:
            self.fail("too_large", limit=settings.MAX_DEFINITION_BYTES // 1024)
        return data

    def to_representation(self, value: str) -> str:
        return value


@extend_schema_field(OpenApiTypes.OBJECT)
class LayoutField(serializers.JSONField):
    """State name → {"x": number, "y": number} (and optional extra keys the canvas keeps, such as width)."""

    def to_internal_value(self, data: Any) -> dict:
        data = super().to_internal_value(data)
        if not isinstance(data, dict):
            raise serializers.ValidationError("Expected an object mapping state names to positions.")
        errors = {}
        for name, position in data.items():
            if not isinstance(position, dict) or not all(
                isinstance(position.get(axis), (int, float)) and not isinstance(position.get(axis), bool)
                for axis in ("x", "y")
            ):
                errors[name] = ['Expected {"x": number, "y": number}.']
        if errors:
            raise serializers.ValidationError(errors)
        return data


class TagsField(serializers.ListField):
    child = serializers.CharField(max_length=40)
    max_length = 20


# --- people -------------------------------------------------------------------------------------


class SignupSerializer(StrictSerializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    def validate_password(self, value: str) -> str:
        password_validation.validate_password(value, User(username=self.initial_data.get("username", "")))
        return value


class LoginSerializer(StrictSerializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True, style={"input_type": "password"})


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()


class TeamSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["id", "name", "personal", "role", "created_at"]
        read_only_fields = fields

    def get_role(self, team: Team) -> str | None:
        user = self.context["request"].user
        for membership in team.memberships.all():  # prefetched by the view
            if membership.user_id == user.pk:
                return membership.role
        return None


class TeamWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    teams = serializers.SerializerMethodField()

    def get_teams(self, user) -> list[dict]:
        teams = (
            Team.objects.filter(memberships__user=user).prefetch_related("memberships").order_by("-personal", "name")
        )
        return TeamSerializer(teams, many=True, context=self.context).data


class MembershipSerializer(serializers.ModelSerializer):
    user = UserRefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]
        read_only_fields = fields


class MembershipCreateSerializer(StrictSerializer):
    user = serializers.CharField(help_text="Username or email of an existing account.")
    role = serializers.ChoiceField(choices=Role.choices)


class MembershipUpdateSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=Role.choices)


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = fields


class TokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once: store it now.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    verb_display = serializers.CharField(source="get_verb_display", read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "actor", "verb", "verb_display", "subject", "workflow", "details", "created_at"]
        read_only_fields = fields


# --- workflows ----------------------------------------------------------------------------------


class DraftSerializer(serializers.Serializer):
    definition = serializers.CharField(source="draft_definition")
    layout = serializers.JSONField(source="draft_layout")
    revision = serializers.IntegerField(source="draft_revision")
    updated_at = serializers.DateTimeField(source="draft_updated_at")
    updated_by = serializers.CharField(source="draft_updated_by.username", default=None)


class WorkflowSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)
    draft = DraftSerializer(source="*", read_only=True)
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = Workflow
        fields = [
            "id",
            "team",
            "name",
            "description",
            "tags",
            "created_by",
            "created_at",
            "updated_at",
            "draft",
            "latest_version",
            "validation_status",
            "deleted_at",
        ]
        read_only_fields = fields

    def get_latest_version(self, workflow: Workflow) -> int | None:
        return getattr(workflow, "latest_version_number", None)


class WorkflowCreateSerializer(StrictSerializer):
    team = serializers.IntegerField()
    name = serializers.CharField(max_length=80)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    tags = TagsField(required=False, default=list)
    definition = DefinitionField(required=False)
    layout = LayoutField(required=False, default=dict)


class WorkflowUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    tags = TagsField(required=False)


class DraftWriteSerializer(StrictSerializer):
    definition = DefinitionField()
    layout = LayoutField(required=False, default=dict)
    revision = serializers.IntegerField(min_value=1, help_text="The revision this edit was based on.")


class DiagnosticSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=["ERROR", "WARNING"])
    code = serializers.CharField()
    message = serializers.CharField()
    location = serializers.CharField()
    state = serializers.CharField(allow_null=True)
    line = serializers.IntegerField(allow_null=True)
    column = serializers.IntegerField(allow_null=True)


class DraftSavedSerializer(serializers.Serializer):
    draft = DraftSerializer(source="*")
    validation_status = serializers.CharField()


class VersionSummarySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None, read_only=True)

    class Meta:
        model = WorkflowVersion
        fields = ["number", "content_hash", "author", "message", "created_at", "validation_status"]
        read_only_fields = fields


class VersionSerializer(VersionSummarySerializer):
    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "definition", "layout", "diagnostics"]
        read_only_fields = fields


class VersionCreateSerializer(StrictSerializer):
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DuplicateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80, required=False)
    team = serializers.IntegerField(required=False)


class MoveSerializer(StrictSerializer):
    team = serializers.IntegerField()


class ValidateSerializer(StrictSerializer):
    definition = DefinitionField()
    type = serializers.ChoiceField(choices=["STANDARD", "EXPRESS"], required=False, default="STANDARD")
    allow_placeholders = serializers.BooleanField(required=False, default=False)


class WorkflowImportSerializer(StrictSerializer):
    team = serializers.IntegerField()
    text = serializers.CharField(
        trim_whitespace=False, help_text="ASL as JSON or YAML, or a CloudFormation, SAM or CDK template."
    )
    name = serializers.CharField(max_length=80, required=False)
    state_machine = serializers.CharField(
        required=False, help_text="The template's logical id of the state machine, when it has several."
    )

    def validate_text(self, value: str) -> str:
        if len(value.encode()) > settings.MAX_DEFINITION_BYTES * 4:
            raise serializers.ValidationError("The file is too large to import.")
        return value


class PreviewSerializer(StrictSerializer):
    definition = DefinitionField()
    pointer = serializers.CharField(help_text="The state's JSON pointer, e.g. /States/Fetch.")
    state = serializers.CharField(required=False, help_text="The state's name (informative).")
    input = serializers.JSONField()
    result = serializers.JSONField(required=False, help_text="A Task's (or Map's, Parallel's) result to use.")


class SampleInputSerializer(serializers.ModelSerializer):
    updated_by = serializers.CharField(source="updated_by.username", default=None, read_only=True)

    class Meta:
        model = SampleInput
        fields = ["id", "name", "input", "updated_by", "updated_at"]
        read_only_fields = fields


class SampleInputWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80)
    input = serializers.JSONField()
