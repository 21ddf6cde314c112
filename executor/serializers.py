from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designer.serializers import StrictSerializer
from executor import breakpoints
from executor.models import Execution, HistoryEvent, TaskToken, TestCase


class WaitingTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    state = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExecutionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", default=None, read_only=True)
    started_by = serializers.CharField(source="started_by.username", default=None, read_only=True)
    test_case = serializers.CharField(source="test_case.name", default=None, read_only=True)
    workflow_name = serializers.CharField(source="workflow.name", read_only=True)

    class Meta:
        model = Execution
        fields = [
            "id",
            "uuid",
            "workflow",
            "workflow_name",
            "version",
            "backend",
            "name",
            "status",
            "input",
            "output",
            "error",
            "cause",
            "started_at",
            "stopped_at",
            "started_by",
            "test_case",
            "redrive_count",
        ]
        read_only_fields = fields


class PausedSerializer(serializers.Serializer):
    execution = serializers.IntegerField(help_text="The paused execution: this one, or a Map iteration or branch.")
    name = serializers.CharField()
    state = serializers.CharField(help_text="The state it pauses before.")
    input = serializers.JSONField(help_text="The input the state will be entered with.")


class ExecutionDetailSerializer(ExecutionSerializer):
    """One execution, with what it waits for: the tokens its callback tasks wait on (Approve/Reject), and
    the breakpoints it is paused at."""

    waiting_tokens = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()
    breakpoints = serializers.SerializerMethodField()
    paused = serializers.SerializerMethodField()

    class Meta(ExecutionSerializer.Meta):
        fields = [*ExecutionSerializer.Meta.fields, "waiting_tokens", "children", "breakpoints", "paused"]
        read_only_fields = fields

    def get_breakpoints(self, execution: Execution) -> list[str]:
        return breakpoints.breakpoints_of(execution)

    @extend_schema_field(PausedSerializer(many=True))
    def get_paused(self, execution: Execution) -> list[dict]:
        """Where the run waits at a breakpoint (several Map iterations may); empty when it does not."""
        return breakpoints.paused_in(execution)

    def get_waiting_tokens(self, execution: Execution) -> list[dict]:
        running_children = execution.children.filter(status="RUNNING").values_list("pk", flat=True)
        tokens = TaskToken.objects.filter(
            execution__in=[execution.pk, *running_children], answered_at__isnull=True
        ).order_by("created_at")
        return WaitingTokenSerializer(tokens, many=True).data

    def get_children(self, execution: Execution) -> dict[str, int]:
        """Map iterations and Parallel branches by status, for progress while they run."""
        counts = execution.children.values("status").annotate(n=Count("id"))
        return {row["status"]: row["n"] for row in counts}


class ChildSerializer(serializers.ModelSerializer):
    """A Map iteration or Parallel branch, as its parent's progress shows it."""

    index = serializers.IntegerField(source="child_index")
    state = serializers.CharField(source="current_state", allow_null=True, help_text="The state it is in now.")
    queued = serializers.SerializerMethodField(help_text="Waiting for a slot under the Map's MaxConcurrency.")
    paused = serializers.SerializerMethodField(help_text="Waiting at a breakpoint before `state`.")

    class Meta:
        model = Execution
        fields = [
            "id",
            "index",
            "kind",
            "name",
            "status",
            "state",
            "queued",
            "paused",
            "error",
            "cause",
            "started_at",
            "stopped_at",
        ]
        read_only_fields = fields

    def get_queued(self, child: Execution) -> bool:
        return child.status == "RUNNING" and child.waiting == Execution.Waiting.QUEUED

    def get_paused(self, child: Execution) -> bool:
        return child.status == "RUNNING" and child.waiting == Execution.Waiting.PAUSED


class ExecutionStartSerializer(StrictSerializer):
    input = serializers.JSONField(required=False, default=dict)
    version = serializers.IntegerField(required=False, min_value=1, help_text="Default: the latest version.")
    name = serializers.RegexField(
        r"^[A-Za-z0-9_-]{1,80}\Z", required=False, help_text="Letters, digits, - and _; unique per workflow."
    )
    test_case = serializers.CharField(required=False, help_text="local: the name of one of the workflow's test cases.")
    aws_connection = serializers.IntegerField(
        required=False, help_text="local: serve tasks that have no mock or handler with the real AWS service."
    )
    backend = serializers.ChoiceField(choices=Execution.Backend.choices, required=False, default="local")
    connection = serializers.IntegerField(required=False, help_text="aws: the id of one of the team's AWS connections.")
    breakpoints = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=500,
        help_text="local: names of states to pause before (debugging).",
    )

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if attrs.get("breakpoints") and attrs.get("backend") == Execution.Backend.AWS:
            raise serializers.ValidationError({"breakpoints": ["Breakpoints are for local runs; AWS has none."]})
        return attrs


class ContinueSerializer(StrictSerializer):
    input = serializers.JSONField(required=False, help_text="The state's input, edited; by default as it was.")
    step = serializers.BooleanField(
        required=False, default=False, help_text="Run this one state, then pause before the next."
    )


class ContinueAllSerializer(StrictSerializer):
    step = serializers.BooleanField(
        required=False, default=False, help_text="Each runs its one state, then pauses before its next."
    )


class BreakpointsSerializer(StrictSerializer):
    breakpoints = serializers.ListField(child=serializers.CharField(max_length=80), max_length=500)


class StopSerializer(StrictSerializer):
    error = serializers.CharField(required=False, max_length=256)
    cause = serializers.CharField(required=False, max_length=32768)


class HistoryEventSerializer(serializers.ModelSerializer):
    """AWS's GetExecutionHistory shape: id, previousEventId, type, timestamp and the …EventDetails key."""

    class Meta:
        model = HistoryEvent
        fields = ["event_id"]

    def to_representation(self, event: HistoryEvent) -> dict:
        return {
            "id": event.event_id,
            "previousEventId": event.previous_event_id,
            "type": event.type,
            "timestamp": event.timestamp.isoformat().replace("+00:00", "Z"),
            **event.details,
        }


class TaskSuccessSerializer(StrictSerializer):
    token = serializers.CharField()
    output = serializers.JSONField()


class TaskFailureSerializer(StrictSerializer):
    token = serializers.CharField()
    error = serializers.CharField(required=False, allow_null=True, default=None, max_length=256)
    cause = serializers.CharField(required=False, allow_null=True, default=None, max_length=32768)


class TaskHeartbeatSerializer(StrictSerializer):
    token = serializers.CharField()


class TestCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TestCase
        fields = ["id", "name", "responses", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class TestCaseWriteSerializer(StrictSerializer):
    name = serializers.RegexField(r"^[A-Za-z0-9_.-]{1,80}\Z")
    responses = serializers.DictField(child=serializers.DictField())
