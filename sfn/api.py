"""Thin views for the team access keys of the Step Functions endpoint."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from designer.params import valid_data
from designer.selectors import get_team
from sfn import selectors, services
from sfn import serializers as s


class AccessKeyViewSet(viewsets.ViewSet):
    """Access key pairs for the Step Functions endpoint (/aws/stepfunctions/); a key acts as its user."""

    @extend_schema(responses=s.AccessKeySerializer(many=True))
    def list(self, request: Request, team_pk: int) -> Response:
        team = get_team(request.user, team_pk)
        return Response(s.AccessKeySerializer(selectors.access_keys_for(request.user, team), many=True).data)

    @extend_schema(request=s.AccessKeyCreateSerializer, responses={201: s.NewAccessKeySerializer})
    def create(self, request: Request, team_pk: int) -> Response:
        data = valid_data(s.AccessKeyCreateSerializer, request)
        key, secret = services.create_access_key(user=request.user, team=get_team(request.user, team_pk), **data)
        key.secret_access_key = secret
        key.endpoint = request.build_absolute_uri("/aws/stepfunctions/")
        return Response(s.NewAccessKeySerializer(key).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, team_pk: int, pk: int) -> Response:
        team = get_team(request.user, team_pk)
        services.revoke_access_key(user=request.user, key=get_object_or_404(selectors.access_keys_of(team), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
