"""Thin views for AWS connections, deploys, imports and drift."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from designer import selectors as designer_selectors
from designer.aws import executions, selectors, services
from designer.aws import serializers as s
from designer.aws.models import AwsConnection
from designer.errors import ServiceError
from designer.models import Workflow
from designer.params import int_param, valid_data
from designer.serializers import WorkflowSerializer
from executor.serializers import ExecutionSerializer

# outcome in the URL -> (its body, the `success` of answer_task: True, False, or None for a heartbeat)
_TASK_ANSWERS = {
    "success": (s.AwsTaskSuccessSerializer, True),
    "failure": (s.AwsTaskFailureSerializer, False),
    "heartbeat": (s.AwsTaskHeartbeatSerializer, None),
}


class ConnectionViewSet(viewsets.ViewSet):
    def _get(self, request: Request, team_pk: int, pk: int) -> AwsConnection:
        return selectors.get_connection(request.user, team_pk, pk)

    @extend_schema(responses=s.ConnectionSerializer(many=True))
    def list(self, request: Request, team_pk: int) -> Response:
        team = designer_selectors.get_team(request.user, team_pk)
        return Response(s.ConnectionSerializer(selectors.connections_of(request.user, team), many=True).data)

    @extend_schema(request=s.ConnectionWriteSerializer, responses={201: s.ConnectionSerializer})
    def create(self, request: Request, team_pk: int) -> Response:
        team = designer_selectors.get_team(request.user, team_pk)
        data = valid_data(s.ConnectionWriteSerializer, request)
        connection = services.create_connection(user=request.user, team=team, **data)
        return Response(s.ConnectionSerializer(connection).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ConnectionSerializer)
    def retrieve(self, request: Request, team_pk: int, pk: int) -> Response:
        return Response(s.ConnectionSerializer(self._get(request, team_pk, pk)).data)

    @extend_schema(request=s.ConnectionWriteSerializer, responses=s.ConnectionSerializer)
    def partial_update(self, request: Request, team_pk: int, pk: int) -> Response:
        connection = self._get(request, team_pk, pk)
        data = valid_data(s.ConnectionWriteSerializer, request, partial=True)
        connection = services.update_connection(user=request.user, connection=connection, **data)
        return Response(s.ConnectionSerializer(connection).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, team_pk: int, pk: int) -> Response:
        services.delete_connection(user=request.user, connection=self._get(request, team_pk, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.ConnectionTestSerializer)
    def check(self, request: Request, team_pk: int, pk: int) -> Response:
        """sts:GetCallerIdentity through the connection: the account and identity it reaches."""
        result = services.check_connection(user=request.user, connection=self._get(request, team_pk, pk))
        return Response(result)

    @extend_schema(
        parameters=[OpenApiParameter("next_token", str, description="From the previous page.")],
        responses=inline_serializer(
            "StateMachinePage",
            {
                "results": serializers.ListField(child=serializers.DictField()),
                "next_token": serializers.CharField(allow_null=True),
            },
        ),
    )
    def state_machines(self, request: Request, team_pk: int, pk: int) -> Response:
        """The account's state machines in the connection's region, each with its linked workflow."""
        connection = self._get(request, team_pk, pk)
        token = request.query_params.get("next_token") or None
        return Response(services.list_state_machines(user=request.user, connection=connection, next_token=token))

    @extend_schema(request=s.ImportSerializer, responses={201: WorkflowSerializer})
    def import_state_machine(self, request: Request, team_pk: int, pk: int) -> Response:
        """Import a state machine as a new workflow, or as a new version of the workflow it is linked to."""
        connection = self._get(request, team_pk, pk)
        data = valid_data(s.ImportSerializer, request)
        workflow = None
        if "workflow" in data:
            workflow = (
                designer_selectors.workflows_for(request.user, team=connection.team_id)
                .filter(pk=data.pop("workflow"))
                .first()
            )
            if workflow is None:
                raise ServiceError("workflow_not_found", "The team has no such workflow.", {"field": "/workflow"})
        workflow, version = services.import_state_machine(
            user=request.user, connection=connection, workflow=workflow, **data
        )
        body = WorkflowSerializer(workflow).data
        body["latest_version"] = version.number
        return Response(body, status=status.HTTP_201_CREATED)


def _options(data: dict) -> services.DeployOptions:
    names = {f.name for f in dataclass_fields(services.DeployOptions)}
    return services.DeployOptions(**{key: value for key, value in data.items() if key in names})


class DeployViewSet(viewsets.ViewSet):
    def _workflow(self, request: Request, pk: int) -> Workflow:
        return designer_selectors.get_workflow(request.user, pk)

    def _connection(self, request: Request, workflow: Workflow, pk: int) -> AwsConnection:
        try:
            return selectors.connection_by_id(request.user, workflow.team, pk)
        except Http404:
            raise ServiceError(
                "connection_not_found", f"The workflow's team has no AWS connection {pk}.", {"field": "/connection"}
            )

    def _call(self, request: Request, pk: int, service):
        workflow = self._workflow(request, pk)
        data = valid_data(s.DeployOptionsSerializer, request)
        connection = self._connection(request, workflow, data.pop("connection"))
        version = data.pop("version", None)
        return service(
            user=request.user, workflow=workflow, connection=connection, version=version, options=_options(data)
        )

    @extend_schema(request=s.DeployOptionsSerializer, responses=s.DeployPlanSerializer)
    def plan(self, request: Request, pk: int) -> Response:
        """What a deploy would do: create or update, the diff against AWS, the role and its policy. Changes nothing."""
        return Response(self._call(request, pk, services.plan_deploy))

    @extend_schema(
        request=s.DeployOptionsSerializer, responses={201: s.DeploymentSerializer, 200: s.DeploymentSerializer}
    )
    def deploy(self, request: Request, pk: int) -> Response:
        """Deploy a version (201); 200 with outcome `already_deployed` when AWS holds it already."""
        deployment = self._call(request, pk, services.deploy)
        code = status.HTTP_200_OK if deployment.outcome == "already_deployed" else status.HTTP_201_CREATED
        return Response(s.DeploymentSerializer(deployment).data, status=code)

    @extend_schema(responses=s.DeploymentSerializer(many=True))
    def deployments(self, request: Request, pk: int) -> Response:
        workflow = self._workflow(request, pk)
        deployments = selectors.deployments_of(request.user, workflow)[:100]
        return Response(s.DeploymentSerializer(deployments, many=True).data)

    @extend_schema(responses=s.DeploymentSerializer)
    def deployment(self, request: Request, pk: int, deployment_pk: int) -> Response:
        workflow = self._workflow(request, pk)
        deployment = get_object_or_404(selectors.deployments_of(request.user, workflow), pk=deployment_pk)
        return Response(s.DeploymentSerializer(deployment).data)

    @extend_schema(responses=s.AwsStatusSerializer)
    def aws_status(self, request: Request, pk: int) -> Response:
        """Drift: for each linked state machine, whether AWS holds the workflow's latest version."""
        links = services.drift(user=request.user, workflow=self._workflow(request, pk))
        return Response({"links": links, "drift": any(link["status"] != "in_sync" for link in links)})


class AwsExecutionViewSet(viewsets.ViewSet):
    """Executions on AWS that Stepwright did not start, redrive, and answers to AWS task tokens."""

    def _workflow(self, request: Request, pk: int) -> Workflow:
        return designer_selectors.get_workflow(request.user, pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("connection", int),
            OpenApiParameter("status", str),
            OpenApiParameter("next_token", str),
        ],
        responses=inline_serializer(
            "AwsExecutionPage",
            {
                "state_machine_arn": serializers.CharField(),
                "express": serializers.BooleanField(),
                "results": serializers.ListField(child=serializers.DictField()),
                "next_token": serializers.CharField(allow_null=True),
            },
        ),
    )
    def list(self, request: Request, pk: int) -> Response:
        """The deployed state machine's executions on AWS; `execution` is the Stepwright id once opened."""
        params = request.query_params
        return Response(
            executions.list_remote(
                user=request.user,
                workflow=self._workflow(request, pk),
                connection_id=int_param(request, "connection"),
                status=params.get("status") or None,
                next_token=params.get("next_token") or None,
            )
        )

    @extend_schema(request=s.OpenExecutionSerializer, responses={201: ExecutionSerializer})
    def create(self, request: Request, pk: int) -> Response:
        """Open an AWS execution in Stepwright: its history is copied and shown like a local run's."""
        data = valid_data(s.OpenExecutionSerializer, request)
        execution = executions.open_remote(
            user=request.user,
            workflow=self._workflow(request, pk),
            execution_arn=data["execution_arn"],
            connection_id=data.get("connection"),
        )
        return Response(ExecutionSerializer(execution).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.AwsExecutionDetailsSerializer)
    def details(self, request: Request, execution_pk: int) -> Response:
        """Where an execution runs on AWS, how its history copy goes, and the callback tasks it waits for."""
        from executor.selectors import get_execution

        execution = get_execution(request.user, execution_pk)
        executions.watch(execution)
        return Response(executions.details_of(user=request.user, execution=execution))

    @extend_schema(request=None, responses=ExecutionSerializer)
    def redrive(self, request: Request, execution_pk: int) -> Response:
        """RedriveExecution: a failed, timed-out or aborted AWS execution goes on from where it stopped."""
        from executor.selectors import get_execution

        execution = get_execution(request.user, execution_pk)
        if execution.backend != "aws":
            raise ServiceError("not_aws", "Only executions on AWS can be redriven here.")
        return Response(ExecutionSerializer(executions.redrive(user=request.user, execution=execution)).data)

    @extend_schema(request=s.AwsTaskSuccessSerializer, responses={204: None})
    def task_token(self, request: Request, pk: int, outcome: str) -> Response:
        """SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat for a `.waitForTaskToken` task on AWS."""
        workflow = self._workflow(request, pk)
        serializer, success = _TASK_ANSWERS[outcome]
        data = valid_data(serializer, request)
        executions.answer_task(
            user=request.user,
            workflow=workflow,
            token=data.pop("token"),
            success=success,
            connection_id=data.pop("connection", None),
            **data,  # output, or error and cause
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
