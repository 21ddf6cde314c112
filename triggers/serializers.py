from __future__ import annotations

from rest_framework import serializers

from designer.serializers import StrictSerializer
from triggers import services
from triggers.models import EventRule, Schedule, ScheduleFiring, Webhook

STATUSES = [str(s) for s in services.EVENT_STATUSES]


class ScheduleWriteSerializer(StrictSerializer):
    name = serializers.RegexField(r"^[A-Za-z0-9_.-]{1,64}$", max_length=64)
    expression = serializers.CharField(max_length=256, help_text="cron(0 12 * * ? *) or rate(5 minutes)")
    timezone = serializers.CharField(max_length=64, default="UTC")
    input = serializers.JSONField(required=False, default=dict)
    enabled = serializers.BooleanField(default=True)


class ScheduleFiringSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduleFiring
        fields = ["due_at", "outcome", "execution", "message", "created_at"]


class ScheduleSerializer(serializers.ModelSerializer):
    next_times = serializers.SerializerMethodField(help_text="The next five due times (none when off).")
    recent = serializers.SerializerMethodField(help_text="The last due times handled: started, missed, failed.")

    class Meta:
        model = Schedule
        fields = [
            "id", "workflow", "name", "expression", "timezone", "input", "enabled", "start_at", "next_due_at",
            "last_started_at", "missed_count", "last_missed_at", "created_at", "updated_at", "next_times", "recent",
        ]  # fmt: skip

    def get_next_times(self, schedule: Schedule) -> list[str]:
        return [t.isoformat() for t in services.upcoming(schedule)]

    def get_recent(self, schedule: Schedule) -> list[dict]:
        return ScheduleFiringSerializer(schedule.firings.order_by("-due_at")[:10], many=True).data


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Webhook
        fields = ["workflow", "prefix", "enabled", "created_at", "rotated_at", "last_called_at"]


class WebhookSecretSerializer(WebhookSerializer):
    token = serializers.CharField(help_text="Shown this once; only its hash is kept.")
    url = serializers.CharField(help_text="POST JSON here to start the workflow; the token is part of it.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "token", "url"]


class WebhookCallResultSerializer(serializers.Serializer):
    executionId = serializers.IntegerField()
    executionUuid = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.CharField()
    replayed = serializers.BooleanField(help_text="True when the Idempotency-Key was seen before.")


class EventRuleWriteSerializer(StrictSerializer):
    source = serializers.IntegerField(help_text="The workflow whose finished executions start this one.")
    statuses = serializers.ListField(child=serializers.ChoiceField(choices=STATUSES), min_length=1)
    enabled = serializers.BooleanField(default=True)


class EventRuleUpdateSerializer(StrictSerializer):
    statuses = serializers.ListField(child=serializers.ChoiceField(choices=STATUSES), min_length=1, required=False)
    enabled = serializers.BooleanField(required=False)


class EventRuleSerializer(serializers.ModelSerializer):
    source_name = serializers.CharField(source="source.name", read_only=True)

    class Meta:
        model = EventRule
        fields = ["id", "workflow", "source", "source_name", "statuses", "enabled", "created_at"]
