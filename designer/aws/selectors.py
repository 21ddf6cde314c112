"""Reads that encode permissions for connections and deployments; always scoped to the user's teams."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from designer.aws.models import AwsConnection, Deployment
from designer.models import Team, Workflow
from designer.roles import Role
from designer.selectors import get_team, require_role


def connections_of(user: AbstractBaseUser, team: Team) -> QuerySet[AwsConnection]:
    """A team's connections: editors and owners see them (they deploy with them); viewers and runners do not."""
    require_role(user, team, Role.EDITOR, "see the team's AWS connections")
    return team.aws_connections.select_related("created_by").order_by("name")


def get_connection(user: AbstractBaseUser, team_pk: int, pk: int) -> AwsConnection:
    connection = connections_of(user, get_team(user, team_pk)).filter(pk=pk).first()
    if connection is None:
        raise Http404
    return connection


def connection_by_id(user: AbstractBaseUser, team: Team, pk: int) -> AwsConnection:
    """The connection `pk` of `team`, for a deploy or import; 404 when it is not that team's."""
    connection = connections_of(user, team).filter(pk=pk).first()
    if connection is None:
        raise Http404
    return connection


def deployments_of(user: AbstractBaseUser, workflow: Workflow) -> QuerySet[Deployment]:
    require_role(user, workflow.team, Role.VIEWER, "see deployments")
    return workflow.deployments.select_related("version", "created_by")
