"""Thin views: check the input, call a service or a selector, serialize the result."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import asl
from designer import exporters, selectors, services
from designer import preview as preview_module
from designer import serializers as s
from designer.diff import diff_definitions
from designer.errors import ServiceError
from designer.models import Membership, SampleInput, Team, Workflow
from designer.params import int_param, valid_data

# --- accounts -----------------------------------------------------------------------------------


class CsrfView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=inline_serializer("Csrf", {"csrfToken": serializers.CharField()}))
    def get(self, request: Request) -> Response:
        """Sets the csrftoken cookie the browser sends back as X-CSRFToken."""
        return Response({"csrfToken": get_token(request)})


class SignupView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=s.SignupSerializer, responses={201: s.MeSerializer})
    def post(self, request: Request) -> Response:
        data = valid_data(s.SignupSerializer, request)
        user = services.create_user(**data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(s.MeSerializer(user, context={"request": request}).data, status=status.HTTP_201_CREATED)


class LoginView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=s.LoginSerializer, responses=s.MeSerializer)
    def post(self, request: Request) -> Response:
        data = valid_data(s.LoginSerializer, request)
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            raise ServiceError("invalid_credentials", "The username or password is wrong.")
        login(request, user)
        return Response(s.MeSerializer(user, context={"request": request}).data)


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.MeSerializer(request.user, context={"request": request}).data)


class TokenViewSet(viewsets.ViewSet):
    @extend_schema(responses=s.TokenSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(s.TokenSerializer(selectors.tokens_of(request.user), many=True).data)

    @extend_schema(request=s.TokenCreateSerializer, responses={201: s.NewTokenSerializer})
    def create(self, request: Request) -> Response:
        token, key = services.create_token(user=request.user, **valid_data(s.TokenCreateSerializer, request))
        token.token = key
        return Response(s.NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: int) -> Response:
        services.revoke_token(token=get_object_or_404(selectors.tokens_of(request.user), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- teams --------------------------------------------------------------------------------------


class TeamViewSet(viewsets.GenericViewSet):
    def _teams(self, request: Request):
        return selectors.teams_for(request.user).prefetch_related("memberships").order_by("-personal", "name")

    def _out(self, request: Request, team: Team, **kwargs) -> Response:
        team = self._teams(request).get(pk=team.pk)
        return Response(s.TeamSerializer(team, context={"request": request}).data, **kwargs)

    @extend_schema(responses=s.TeamSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(s.TeamSerializer(self._teams(request), many=True, context={"request": request}).data)

    @extend_schema(request=s.TeamWriteSerializer, responses={201: s.TeamSerializer})
    def create(self, request: Request) -> Response:
        team = services.create_team(user=request.user, **valid_data(s.TeamWriteSerializer, request))
        return self._out(request, team, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.TeamSerializer)
    def retrieve(self, request: Request, pk: int) -> Response:
        return self._out(request, selectors.get_team(request.user, pk))

    @extend_schema(request=s.TeamWriteSerializer, responses=s.TeamSerializer)
    def partial_update(self, request: Request, pk: int) -> Response:
        team = selectors.get_team(request.user, pk)
        return self._out(
            request, services.rename_team(user=request.user, team=team, **valid_data(s.TeamWriteSerializer, request))
        )

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: int) -> Response:
        services.delete_team(user=request.user, team=selectors.get_team(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.ActivitySerializer(many=True))
    @action(detail=True, methods=["get"])
    def activity(self, request: Request, pk: int) -> Response:
        page = self.paginate_queryset(selectors.activity_of(selectors.get_team(request.user, pk)))
        return self.get_paginated_response(s.ActivitySerializer(page, many=True).data)


class MemberViewSet(viewsets.ViewSet):
    def _membership(self, request: Request, team_pk: int, pk: int) -> Membership:
        team = selectors.get_team(request.user, team_pk)
        return get_object_or_404(selectors.memberships_of(team), pk=pk)

    @extend_schema(responses=s.MembershipSerializer(many=True))
    def list(self, request: Request, team_pk: int) -> Response:
        team = selectors.get_team(request.user, team_pk)
        return Response(s.MembershipSerializer(selectors.memberships_of(team), many=True).data)

    @extend_schema(request=s.MembershipCreateSerializer, responses={201: s.MembershipSerializer})
    def create(self, request: Request, team_pk: int) -> Response:
        data = valid_data(s.MembershipCreateSerializer, request)
        team = selectors.get_team(request.user, team_pk)
        membership = services.add_member(actor=request.user, team=team, user_reference=data["user"], role=data["role"])
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MembershipUpdateSerializer, responses=s.MembershipSerializer)
    def partial_update(self, request: Request, team_pk: int, pk: int) -> Response:
        data = valid_data(s.MembershipUpdateSerializer, request)
        membership = services.change_role(actor=request.user, membership=self._membership(request, team_pk, pk), **data)
        return Response(s.MembershipSerializer(membership).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, team_pk: int, pk: int) -> Response:
        services.remove_member(actor=request.user, membership=self._membership(request, team_pk, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- workflows ----------------------------------------------------------------------------------

_LIST_FILTERS = [
    OpenApiParameter("team", int, description="Only this team's workflows."),
    OpenApiParameter("search", str, description="Matches the name or description."),
    OpenApiParameter("tag", str, description="Only workflows with this tag."),
]


class WorkflowViewSet(viewsets.GenericViewSet):
    serializer_class = s.WorkflowSerializer

    def get_queryset(self):
        request = self.request
        deleted = self.action in {"deleted", "undelete"}
        return selectors.workflows_for(
            request.user,
            team=int_param(request, "team"),
            search=request.query_params.get("search"),
            tag=request.query_params.get("tag"),
            deleted=deleted,
        ).annotate(latest_version_number=Max("versions__number"))

    def get_object(self) -> Workflow:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _out(self, workflow: Workflow, **kwargs) -> Response:
        """The workflow as the list shows it (with its latest version number), re-read after a write."""
        fresh = selectors.workflows_for(self.request.user, deleted=workflow.deleted_at is not None)
        workflow = fresh.annotate(latest_version_number=Max("versions__number")).get(pk=workflow.pk)
        return Response(s.WorkflowSerializer(workflow).data, **kwargs)

    def _team(self, team_id: int) -> Team:
        try:
            return selectors.get_team(self.request.user, team_id)
        except Http404:
            raise ServiceError(
                "team_not_found", f"You are not a member of a team with id {team_id}.", {"field": "/team"}
            )

    @extend_schema(parameters=_LIST_FILTERS)
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.WorkflowSerializer(page, many=True).data)

    @extend_schema(request=s.WorkflowCreateSerializer, responses={201: s.WorkflowSerializer})
    def create(self, request: Request) -> Response:
        data = valid_data(s.WorkflowCreateSerializer, request)
        team = self._team(data.pop("team"))
        return self._out(services.create_workflow(user=request.user, team=team, **data), status=201)

    def retrieve(self, request: Request, pk: int) -> Response:
        return self._out(self.get_object())

    @extend_schema(request=s.WorkflowUpdateSerializer)
    def partial_update(self, request: Request, pk: int) -> Response:
        workflow = self.get_object()
        data = valid_data(s.WorkflowUpdateSerializer, request)
        return self._out(services.update_workflow(user=request.user, workflow=workflow, **data))

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: int) -> Response:
        services.delete_workflow(user=request.user, workflow=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.DraftWriteSerializer, responses=s.DraftSavedSerializer)
    @action(detail=True, methods=["get", "put"])
    def draft(self, request: Request, pk: int) -> Response:
        """The draft; PUT autosaves it (409 with the current draft when `revision` is stale)."""
        workflow = self.get_object()
        if request.method == "GET":
            return Response(
                {"draft": s.DraftSerializer(workflow).data, "validation_status": workflow.validation_status}
            )
        workflow, diagnostics = services.save_draft(
            user=request.user, workflow=workflow, **valid_data(s.DraftWriteSerializer, request)
        )
        return Response(
            {
                "draft": s.DraftSerializer(workflow).data,
                "validation_status": workflow.validation_status,
                "diagnostics": diagnostics,
            }
        )

    @extend_schema(request=s.DuplicateSerializer, responses={201: s.WorkflowSerializer})
    @action(detail=True, methods=["post"])
    def duplicate(self, request: Request, pk: int) -> Response:
        data = valid_data(s.DuplicateSerializer, request)
        team = self._team(data["team"]) if "team" in data else None
        copy = services.duplicate_workflow(
            user=request.user, workflow=self.get_object(), team=team, name=data.get("name")
        )
        return self._out(copy, status=201)

    @extend_schema(request=s.MoveSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: int) -> Response:
        team = self._team(valid_data(s.MoveSerializer, request)["team"])
        return self._out(services.move_workflow(user=request.user, workflow=self.get_object(), team=team))

    @extend_schema(parameters=_LIST_FILTERS)
    @action(detail=False, methods=["get"])
    def deleted(self, request: Request) -> Response:
        """The bin: deleted workflows an owner can still recover."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.WorkflowSerializer(page, many=True).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def undelete(self, request: Request, pk: int) -> Response:
        workflow = services.undelete_workflow(user=request.user, workflow=self.get_object())
        return self._out(workflow)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, required=True, description="A version number."),
            OpenApiParameter("to", str, description="A version number or `draft` (the default)."),
        ],
        responses=inline_serializer(
            "Diff",
            {
                "added": serializers.ListField(child=serializers.CharField()),
                "removed": serializers.ListField(child=serializers.CharField()),
                "changed": serializers.ListField(child=serializers.DictField()),
                "top_level": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: int) -> Response:
        workflow = self.get_object()
        sides = []
        for name, default in (("from", None), ("to", "draft")):
            ref = request.query_params.get(name, default)
            if ref is None:
                raise ServiceError("invalid", "Say which version to compare from: ?from=N.", {"field": "from"})
            if ref == "draft":
                text = workflow.draft_definition
            elif ref.isdigit():
                text = selectors.get_version(workflow, int(ref)).definition
            else:
                raise ServiceError("invalid", f"{name}= takes a version number or 'draft'.", {"field": name})
            value, problems = asl.validation.load_definition(text)
            if problems or not isinstance(value, dict):
                details = {"field": name, "diagnostics": [p.to_dict() for p in problems]}
                raise ServiceError(
                    "invalid_definition", f"The {ref} definition cannot be read, so it cannot be compared.", details
                )
            sides.append(value)
        return Response(diff_definitions(*sides))

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=[*exporters.FORMATS], description="Default: json."),
            OpenApiParameter("version", int, description="A version number; default: the draft."),
            OpenApiParameter("type", str, enum=["STANDARD", "EXPRESS"]),
            OpenApiParameter("tracing", bool),
            OpenApiParameter("log_level", str, enum=["OFF", "ALL", "ERROR", "FATAL"]),
        ],
        responses={(200, "text/plain"): str},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: int) -> HttpResponse:
        """The draft or a version as ASL JSON/YAML, or as a CloudFormation, SAM or Terraform template."""
        workflow = self.get_object()
        params = request.query_params
        number = int_param(request, "version")
        text = selectors.get_version(workflow, number).definition if number else workflow.draft_definition
        fmt = params.get("format", "json")
        if fmt not in exporters.FORMATS:
            raise ServiceError("invalid", f"format= is one of {', '.join(exporters.FORMATS)}.", {"field": "format"})
        value, problems = asl.validation.load_definition(text)
        if problems or not isinstance(value, dict):
            details = {"diagnostics": [p.to_dict() for p in problems]}
            raise ServiceError(
                "invalid_definition", "The definition cannot be read, so it cannot be exported.", details
            )
        options = exporters.TemplateOptions(
            name=workflow.name,
            state_machine_type=params.get("type", "STANDARD"),
            log_level=params.get("log_level", "OFF"),
            tracing=params.get("tracing") in ("1", "true"),
        )
        content_type, extension = exporters.FORMATS[fmt]
        response = HttpResponse(exporters.export(value, fmt, options), content_type=content_type)
        filename = f"{slugify(workflow.name) or 'workflow'}{f'-v{number}' if number else ''}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @extend_schema(request=s.WorkflowImportSerializer, responses={201: s.WorkflowSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_(self, request: Request) -> Response:
        """A new workflow from pasted or uploaded ASL (JSON or YAML), or from a CloudFormation/SAM/CDK template."""
        data = valid_data(s.WorkflowImportSerializer, request)
        team = self._team(data["team"])
        workflow = services.import_workflow(
            user=request.user, team=team, text=data["text"], name=data.get("name"),
            state_machine=data.get("state_machine"),
        )  # fmt: skip
        return self._out(workflow, status=201)


class VersionViewSet(viewsets.GenericViewSet):
    serializer_class = s.VersionSerializer
    lookup_field = "number"

    def _workflow(self, workflow_pk: int) -> Workflow:
        return selectors.get_workflow(self.request.user, workflow_pk)

    @extend_schema(responses=s.VersionSummarySerializer(many=True))
    def list(self, request: Request, workflow_pk: int) -> Response:
        versions = self._workflow(workflow_pk).versions.select_related("author").order_by("-number")
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(s.VersionSummarySerializer(page, many=True).data)

    @extend_schema(request=s.VersionCreateSerializer, responses={201: s.VersionSerializer, 200: s.VersionSerializer})
    def create(self, request: Request, workflow_pk: int) -> Response:
        """Saves the draft as a new version; answers 200 with the latest one when nothing changed."""
        workflow = self._workflow(workflow_pk)
        version, created = services.create_version(
            user=request.user, workflow=workflow, **valid_data(s.VersionCreateSerializer, request)
        )
        return Response(s.VersionSerializer(version).data, status=201 if created else 200)

    def retrieve(self, request: Request, workflow_pk: int, number: int) -> Response:
        return Response(s.VersionSerializer(selectors.get_version(self._workflow(workflow_pk), number)).data)

    @extend_schema(request=None, responses=s.WorkflowSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, workflow_pk: int, number: int) -> Response:
        workflow = self._workflow(workflow_pk)
        version = selectors.get_version(workflow, number)
        services.restore_version(user=request.user, workflow=workflow, version=version)
        fresh = selectors.workflows_for(request.user).annotate(latest_version_number=Max("versions__number"))
        return Response(s.WorkflowSerializer(fresh.get(pk=workflow.pk)).data)


class SampleInputViewSet(viewsets.GenericViewSet):
    """Named run inputs saved with a workflow; any team member reads them, runners and above write."""

    serializer_class = s.SampleInputSerializer
    pagination_class = None

    def _workflow(self, workflow_pk: int) -> Workflow:
        return selectors.get_workflow(self.request.user, workflow_pk)

    def list(self, request: Request, workflow_pk: int) -> Response:
        samples = self._workflow(workflow_pk).sample_inputs.select_related("updated_by")
        return Response(s.SampleInputSerializer(samples, many=True).data)

    @extend_schema(request=s.SampleInputWriteSerializer, responses={201: s.SampleInputSerializer})
    def create(self, request: Request, workflow_pk: int) -> Response:
        """Saves a sample; one with the same name is replaced (200)."""
        data = valid_data(s.SampleInputWriteSerializer, request)
        sample, created = services.save_sample_input(user=request.user, workflow=self._workflow(workflow_pk), **data)
        return Response(s.SampleInputSerializer(sample).data, status=201 if created else 200)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, workflow_pk: int, pk: int) -> Response:
        sample = get_object_or_404(SampleInput, workflow=self._workflow(workflow_pk), pk=pk)
        services.delete_sample_input(user=request.user, sample=sample)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ValidateView(APIView):
    @extend_schema(
        request=s.ValidateSerializer,
        responses=inline_serializer(
            "Validation", {"valid": serializers.BooleanField(), "diagnostics": s.DiagnosticSerializer(many=True)}
        ),
    )
    def post(self, request: Request) -> Response:
        data = valid_data(s.ValidateSerializer, request)
        diagnostics = asl.validate(
            data["definition"], state_machine_type=data["type"], allow_placeholders=data["allow_placeholders"]
        )
        return Response(
            {
                "valid": not any(d.severity == asl.ERROR for d in diagnostics),
                "diagnostics": [d.to_dict() for d in diagnostics],
            }
        )


class DataFlowPreviewView(APIView):
    @extend_schema(
        request=s.PreviewSerializer,
        responses=inline_serializer(
            "Preview",
            {
                "steps": serializers.ListField(child=serializers.DictField()),
                "error": serializers.DictField(allow_null=True),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        """What InputPath, Parameters, ResultSelector, ResultPath and OutputPath of one state make of an input."""
        data = valid_data(s.PreviewSerializer, request)
        value, problems = asl.validation.load_definition(data["definition"])
        state = _at_pointer(value, data["pointer"]) if not problems else None
        if not isinstance(state, dict) or "Type" not in state:
            raise ServiceError("no_state", f"There is no state at {data['pointer']}.", {"field": "/pointer"})
        result = data.get("result", preview_module.ABSENT)
        return Response(preview_module.preview(state, data["input"], result))


def _at_pointer(document, pointer: str):
    node = document
    for token in [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]:
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node
