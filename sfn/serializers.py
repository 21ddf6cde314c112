from __future__ import annotations

from rest_framework import serializers

from designer.serializers import StrictSerializer
from sfn.models import AccessKey


class AccessKeySerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = AccessKey
        fields = ["id", "name", "access_key_id", "user", "created_at", "last_used_at"]
        read_only_fields = fields


class NewAccessKeySerializer(AccessKeySerializer):
    secret_access_key = serializers.CharField(read_only=True, help_text="Shown this once.")
    endpoint = serializers.CharField(read_only=True, help_text="The Step Functions endpoint URL.")

    class Meta(AccessKeySerializer.Meta):
        fields = [*AccessKeySerializer.Meta.fields, "secret_access_key", "endpoint"]
        read_only_fields = fields


class AccessKeyCreateSerializer(StrictSerializer):
    name = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)
