"""Thin views for executions, their history, task tokens and test cases."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.errors import ServiceError
from designer.params import int_param, valid_data
from designer.selectors import get_version, get_workflow
from executor import selectors, services
from executor import serializers as s
from executor.backends import get_backend
from executor.models import Status, TestCase

_FILTERS = [
    OpenApiParameter("workflow", int),
    OpenApiParameter("team", int, description="Only this team's executions."),
    OpenApiParameter("status", str, enum=[c for c, _ in Status.choices]),
    OpenApiParameter("backend", str, enum=["local", "aws"]),
    OpenApiParameter("started_by", str, description="A username."),
    OpenApiParameter("search", str, description="Part of the execution's name."),
]
HISTORY_LIMIT = 1000
CHILDREN_LIMIT = 1000


class ExecutionViewSet(viewsets.GenericViewSet):
    serializer_class = s.ExecutionSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.executions_for(
            self.request.user,
            workflow=int_param(self.request, "workflow") or self.kwargs.get("workflow_pk"),
            team=int_param(self.request, "team"),
            status=params.get("status"),
            backend=params.get("backend"),
            started_by=params.get("started_by"),
            search=params.get("search"),
        )

    @extend_schema(parameters=_FILTERS)
    def list(self, request: Request, workflow_pk: int | None = None) -> Response:
        if workflow_pk is not None:
            get_workflow(request.user, workflow_pk)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ExecutionSerializer(page, many=True).data)

    @extend_schema(request=s.ExecutionStartSerializer, responses={201: s.ExecutionSerializer})
    def create(self, request: Request, workflow_pk: int) -> Response:
        data = valid_data(s.ExecutionStartSerializer, request)
        workflow = get_workflow(request.user, workflow_pk)
        version = get_version(workflow, data.pop("version")) if "version" in data else None
        backend = get_backend(data.pop("backend"))
        execution = backend.start(
            user=request.user,
            workflow=workflow,
            input=data.pop("input"),
            version=version,
            name=data.pop("name", None),
            options=data,
        )
        return Response(s.ExecutionSerializer(execution).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.ExecutionDetailSerializer)
    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(s.ExecutionDetailSerializer(selectors.get_execution(request.user, pk)).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Only events after this event id (for polling)."),
            OpenApiParameter("limit", int, description=f"At most this many events (default and cap {HISTORY_LIMIT})."),
        ],
        responses=inline_serializer(
            "History",
            {
                "status": serializers.CharField(),
                "events": serializers.ListField(child=serializers.DictField()),
                "next_after": serializers.IntegerField(),
                "done": serializers.BooleanField(help_text="True when the execution ended and every event is here."),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: int) -> Response:
        """Incremental history: poll with ?after=<the last event id you have>."""
        execution = selectors.execution_to_poll(request.user, pk)
        after = int_param(request, "after") or 0
        limit = min(int_param(request, "limit") or HISTORY_LIMIT, HISTORY_LIMIT)
        backend = get_backend(execution.backend)
        execution = backend.describe(execution)
        events = backend.history(execution, after=after, limit=limit)
        next_after = events[-1].event_id if events else after
        ended = execution.status != Status.RUNNING
        return Response(
            {
                "status": execution.status,
                "events": s.HistoryEventSerializer(events, many=True).data,
                "next_after": next_after,
                "done": ended and len(events) < limit,
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("after", int, description="Only children with a greater index (for paging)."),
            OpenApiParameter(
                "limit", int, description=f"At most this many children (default 100, cap {CHILDREN_LIMIT})."
            ),
            OpenApiParameter("status", str, enum=[c for c, _ in Status.choices]),
        ],
        responses=inline_serializer(
            "Children",
            {
                "live": serializers.BooleanField(help_text="The execution is waiting for these children now."),
                "state": serializers.CharField(allow_null=True, help_text="Their Map or Parallel state, while live."),
                "total": serializers.IntegerField(),
                "done": serializers.IntegerField(help_text="Ended, the failed ones among them."),
                "failed": serializers.IntegerField(),
                "running": serializers.IntegerField(help_text="Started and not ended."),
                "states": serializers.DictField(
                    child=serializers.DictField(child=serializers.IntegerField()),
                    help_text="While live, per state: the children in it now (`running`) and those paused at a "
                    "breakpoint before it (`paused`).",
                ),
                "children": s.ChildSerializer(many=True),
                "next_after": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def children(self, request: Request, pk: int) -> Response:
        """The Map iterations or Parallel branches of the execution's latest fan-out, live while they run
        (their events join the execution's history only when all of them have ended)."""
        execution = selectors.get_execution(request.user, pk)
        after = int_param(request, "after")
        limit = int_param(request, "limit")
        limit = 100 if limit is None else limit
        if limit < 1 or (after is not None and after < -1):
            field = "limit" if limit < 1 else "after"
            raise ServiceError("invalid", f"The query parameter {field!r} is out of range.", {"field": field})
        status_param = request.query_params.get("status")
        if status_param and status_param.upper() not in Status.values:
            raise ServiceError("invalid", f"There is no status {status_param!r}.", {"field": "status"})
        found = selectors.children_of(
            execution, after=-1 if after is None else after, limit=min(limit, CHILDREN_LIMIT), status=status_param
        )
        return Response(
            {
                "live": found.live,
                "state": found.state,
                "total": found.total,
                "done": found.done,
                "failed": found.failed,
                "running": found.running,
                "states": found.states,
                "children": s.ChildSerializer(found.page, many=True).data,
                "next_after": found.page[-1].child_index if found.page else (-1 if after is None else after),
            }
        )

    @extend_schema(request=s.StopSerializer, responses=s.ExecutionSerializer)
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: int) -> Response:
        data = valid_data(s.StopSerializer, request)
        execution = selectors.get_execution(request.user, pk)
        execution = get_backend(execution.backend).stop(
            user=request.user, execution=execution, error=data.get("error"), cause=data.get("cause")
        )
        return Response(s.ExecutionSerializer(execution).data)

    @extend_schema(request=None, responses=s.ExecutionSerializer)
    @action(detail=True, methods=["post"])
    def redrive(self, request: Request, pk: int) -> Response:
        """Run a failed, timed-out or aborted execution again from the state where it stopped."""
        execution = selectors.get_execution(request.user, pk)
        execution = get_backend(execution.backend).redrive(user=request.user, execution=execution)
        return Response(s.ExecutionSerializer(execution).data)

    @extend_schema(request=s.ContinueSerializer, responses=s.ExecutionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="continue")
    def continue_(self, request: Request, pk: int) -> Response:
        """Let an execution paused at a breakpoint go on (`step`: pause again before the next state)."""
        data = valid_data(s.ContinueSerializer, request)
        execution = selectors.get_execution(request.user, pk)
        execution = services.continue_execution(
            user=request.user, execution=execution, input=data.get("input"), edited="input" in data, step=data["step"]
        )
        return Response(s.ExecutionDetailSerializer(execution).data)

    @extend_schema(
        request=s.ContinueAllSerializer,
        responses=inline_serializer(
            "ContinuedAll", {"continued": serializers.ListField(child=serializers.IntegerField())}
        ),
    )
    @action(detail=True, methods=["post"], url_path="continue-all")
    def continue_all(self, request: Request, pk: int) -> Response:
        """Let everything in the run that is paused at a breakpoint go on at once (its Map iterations and
        Parallel branches, or itself); `continued` lists the executions that did."""
        data = valid_data(s.ContinueAllSerializer, request)
        execution = selectors.get_execution(request.user, pk)
        continued = services.continue_all(user=request.user, execution=execution, step=data["step"])
        return Response({"continued": continued})

    @extend_schema(request=s.BreakpointsSerializer, responses=s.BreakpointsSerializer)
    @action(detail=True, methods=["put"])
    def breakpoints(self, request: Request, pk: int) -> Response:
        """Replace the breakpoints of a running local execution (from each execution's next state on)."""
        data = valid_data(s.BreakpointsSerializer, request)
        execution = selectors.get_execution(request.user, pk)
        names = services.set_breakpoints(user=request.user, execution=execution, breakpoints=data["breakpoints"])
        return Response({"breakpoints": names})


class TaskTokenView(APIView):
    """SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat for tasks waiting on a callback."""

    @extend_schema(request=s.TaskSuccessSerializer, responses=s.ExecutionSerializer)
    def post(self, request: Request, outcome: str) -> Response:
        if outcome == "success":
            data = valid_data(s.TaskSuccessSerializer, request)
            execution = services.send_task_success(user=request.user, **data)
        elif outcome == "failure":
            data = valid_data(s.TaskFailureSerializer, request)
            execution = services.send_task_failure(user=request.user, **data)
        else:
            services.send_task_heartbeat(user=request.user, **valid_data(s.TaskHeartbeatSerializer, request))
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.ExecutionSerializer(execution).data)


class TestCaseViewSet(viewsets.GenericViewSet):
    serializer_class = s.TestCaseSerializer

    def _workflow(self, workflow_pk: int):
        return get_workflow(self.request.user, workflow_pk)

    def _test_case(self, workflow_pk: int, pk: int) -> TestCase:
        return get_object_or_404(self._workflow(workflow_pk).test_cases, pk=pk)

    def list(self, request: Request, workflow_pk: int) -> Response:
        cases = self._workflow(workflow_pk).test_cases.order_by("name")
        return Response(s.TestCaseSerializer(cases, many=True).data)

    @extend_schema(request=s.TestCaseWriteSerializer, responses={201: s.TestCaseSerializer})
    def create(self, request: Request, workflow_pk: int) -> Response:
        data = valid_data(s.TestCaseWriteSerializer, request)
        case = services.save_test_case(user=request.user, workflow=self._workflow(workflow_pk), **data)
        return Response(s.TestCaseSerializer(case).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, workflow_pk: int, pk: int) -> Response:
        return Response(s.TestCaseSerializer(self._test_case(workflow_pk, pk)).data)

    @extend_schema(request=s.TestCaseWriteSerializer)
    def update(self, request: Request, workflow_pk: int, pk: int) -> Response:
        data = valid_data(s.TestCaseWriteSerializer, request)
        case = self._test_case(workflow_pk, pk)
        case = services.save_test_case(user=request.user, workflow=case.workflow, test_case=case, **data)
        return Response(s.TestCaseSerializer(case).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, workflow_pk: int, pk: int) -> Response:
        services.delete_test_case(user=request.user, test_case=self._test_case(workflow_pk, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=inline_serializer("MockConfigFile", {"StateMachines": serializers.DictField()}),
        responses=inline_serializer("MockConfig", {"StateMachines": serializers.DictField()}),
    )
    @action(detail=False, methods=["get", "put"], url_path="mock-config")
    def mock_config(self, request: Request, workflow_pk: int) -> Response:
        """The test cases as Step Functions Local's MockConfigFile; PUT imports one."""
        workflow = self._workflow(workflow_pk)
        if request.method == "PUT":
            services.import_mock_config(user=request.user, workflow=workflow, config=request.data)
        return Response(services.export_mock_config(workflow))
