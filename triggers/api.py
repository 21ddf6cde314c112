"""Thin views for schedules, webhooks, event rules, the public webhook endpoint and the export."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.text import slugify
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import asl
from designer.errors import ServiceError
from designer.exporters import TemplateOptions
from designer.params import int_param, valid_data
from designer.selectors import get_version, get_workflow
from triggers import export, selectors, services
from triggers import serializers as s


class ScheduleViewSet(viewsets.ViewSet):
    @extend_schema(responses=s.ScheduleSerializer(many=True))
    def list(self, request: Request, workflow_pk: int) -> Response:
        workflow = get_workflow(request.user, workflow_pk)
        return Response(s.ScheduleSerializer(selectors.schedules_of(workflow), many=True).data)

    @extend_schema(request=s.ScheduleWriteSerializer, responses={201: s.ScheduleSerializer})
    def create(self, request: Request, workflow_pk: int) -> Response:
        data = valid_data(s.ScheduleWriteSerializer, request)
        workflow = get_workflow(request.user, workflow_pk)
        schedule = services.create_schedule(user=request.user, workflow=workflow, **data)
        return Response(s.ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ScheduleSerializer)
    def retrieve(self, request: Request, workflow_pk: int, pk: int) -> Response:
        return Response(s.ScheduleSerializer(selectors.get_schedule(request.user, workflow_pk, pk)).data)

    @extend_schema(request=s.ScheduleWriteSerializer, responses=s.ScheduleSerializer)
    def partial_update(self, request: Request, workflow_pk: int, pk: int) -> Response:
        data = valid_data(s.ScheduleWriteSerializer, request, partial=True)
        schedule = selectors.get_schedule(request.user, workflow_pk, pk)
        schedule = services.update_schedule(user=request.user, schedule=schedule, **data)
        return Response(s.ScheduleSerializer(schedule).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, workflow_pk: int, pk: int) -> Response:
        services.delete_schedule(user=request.user, schedule=selectors.get_schedule(request.user, workflow_pk, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _secret(request: Request, webhook, token: str) -> dict:
    data = s.WebhookSerializer(webhook).data
    data["token"] = token
    data["url"] = request.build_absolute_uri(f"/api/hooks/{token}/")
    return data


class WebhookViewSet(viewsets.ViewSet):
    @extend_schema(responses=s.WebhookSerializer)
    def retrieve(self, request: Request, workflow_pk: int) -> Response:
        return Response(s.WebhookSerializer(selectors.get_webhook(request.user, workflow_pk)).data)

    @extend_schema(request=None, responses={201: s.WebhookSecretSerializer})
    def create(self, request: Request, workflow_pk: int) -> Response:
        """The workflow's webhook; its URL holds a token shown only in this answer."""
        workflow = get_workflow(request.user, workflow_pk)
        webhook, token = services.create_webhook(user=request.user, workflow=workflow)
        return Response(_secret(request, webhook, token), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.WebhookSecretSerializer)
    def rotate(self, request: Request, workflow_pk: int) -> Response:
        """A new token (shown once); the old URL stops working at once."""
        webhook = selectors.get_webhook(request.user, workflow_pk)
        webhook, token = services.rotate_webhook(user=request.user, webhook=webhook)
        return Response(_secret(request, webhook, token))

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, workflow_pk: int) -> Response:
        services.delete_webhook(user=request.user, webhook=selectors.get_webhook(request.user, workflow_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookCallView(APIView):
    """The public end of a webhook: whoever holds the URL may start the workflow. No session, so no CSRF."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request={"application/json": {"type": "object"}},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER, description="The same key returns the same execution."
            )
        ],
        responses={
            201: s.WebhookCallResultSerializer,
            200: OpenApiResponse(s.WebhookCallResultSerializer, description="The key was seen: its execution."),
            400: OpenApiResponse(description="The body is not JSON."),
            404: OpenApiResponse(description="No webhook has this token."),
            413: OpenApiResponse(description="The body is larger than 256 KiB."),
        },
        auth=[],
    )
    def post(self, request: Request, token: str) -> Response:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > services.MAX_PAYLOAD_BYTES:
            services.parse_body(b" " * (services.MAX_PAYLOAD_BYTES + 1))  # raises the 413
        body = request._request.read(services.MAX_PAYLOAD_BYTES + 1)
        data = services.parse_body(body)
        execution, created = services.call_webhook(
            token=token, input=data, idempotency_key=request.headers.get("Idempotency-Key") or None
        )
        result = {
            "executionId": execution.pk,
            "executionUuid": str(execution.uuid),
            "name": execution.name,
            "status": execution.status,
            "replayed": not created,
        }
        return Response(result, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class EventRuleViewSet(viewsets.ViewSet):
    @extend_schema(responses=s.EventRuleSerializer(many=True))
    def list(self, request: Request, workflow_pk: int) -> Response:
        workflow = get_workflow(request.user, workflow_pk)
        return Response(s.EventRuleSerializer(selectors.event_rules_of(workflow), many=True).data)

    @extend_schema(request=s.EventRuleWriteSerializer, responses={201: s.EventRuleSerializer})
    def create(self, request: Request, workflow_pk: int) -> Response:
        data = valid_data(s.EventRuleWriteSerializer, request)
        workflow = get_workflow(request.user, workflow_pk)
        source = get_workflow(request.user, data.pop("source"))
        rule = services.create_event_rule(user=request.user, workflow=workflow, source=source, **data)
        return Response(s.EventRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.EventRuleSerializer)
    def retrieve(self, request: Request, workflow_pk: int, pk: int) -> Response:
        return Response(s.EventRuleSerializer(selectors.get_event_rule(request.user, workflow_pk, pk)).data)

    @extend_schema(request=s.EventRuleUpdateSerializer, responses=s.EventRuleSerializer)
    def partial_update(self, request: Request, workflow_pk: int, pk: int) -> Response:
        data = valid_data(s.EventRuleUpdateSerializer, request)
        rule = selectors.get_event_rule(request.user, workflow_pk, pk)
        return Response(s.EventRuleSerializer(services.update_event_rule(user=request.user, rule=rule, **data)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, workflow_pk: int, pk: int) -> Response:
        services.delete_event_rule(user=request.user, rule=selectors.get_event_rule(request.user, workflow_pk, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TriggersExportView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=[*export.FORMATS], description="Default: cloudformation."),
            OpenApiParameter("version", int, description="A version number; default: the draft."),
            OpenApiParameter("type", str, enum=["STANDARD", "EXPRESS"]),
        ],
        responses={(200, "text/plain"): str},
    )
    def get(self, request: Request, workflow_pk: int) -> HttpResponse:
        """The workflow's template (CloudFormation, SAM or Terraform) with its schedules beside the machine."""
        workflow = get_workflow(request.user, workflow_pk)
        number = int_param(request, "version")
        text = get_version(workflow, number).definition if number else workflow.draft_definition
        fmt = request.query_params.get("format", "cloudformation")
        if fmt not in export.FORMATS:
            raise ServiceError("invalid", f"format= is one of {', '.join(export.FORMATS)}.", {"field": "format"})
        value, problems = asl.validation.load_definition(text)
        if problems or not isinstance(value, dict):
            raise ServiceError(
                "invalid_definition",
                "The definition cannot be read, so it cannot be exported.",
                {"diagnostics": [p.to_dict() for p in problems]},
            )
        options = TemplateOptions(name=workflow.name, state_machine_type=request.query_params.get("type", "STANDARD"))
        specs = [
            export.ScheduleSpec(
                name=x.name, expression=x.expression, timezone=x.timezone, input=x.input, enabled=x.enabled
            )
            for x in selectors.schedules_of(workflow)
        ]
        content_type, extension = export.FORMATS[fmt]
        response = HttpResponse(export.export(value, fmt, options, specs), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{slugify(workflow.name) or "workflow"}.{extension}"'
        return response
