"""Reads that encode permissions. Every queryset here is scoped to the user's teams."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404

from designer.errors import Forbidden
from designer.models import Activity, ApiToken, Membership, Team, Workflow, WorkflowVersion
from designer.roles import at_least


def teams_for(user: AbstractBaseUser) -> QuerySet[Team]:
    return Team.objects.filter(memberships__user=user)


def role_in(user: AbstractBaseUser, team: Team | int) -> str | None:
    team_id = team.pk if isinstance(team, Team) else team
    return Membership.objects.filter(team_id=team_id, user=user).values_list("role", flat=True).first()


def require_role(user: AbstractBaseUser, team: Team | int, required: str, action: str = "do this") -> str:
    """The user's role in `team`, or Forbidden when it is below `required` (404 when not a member at all)."""
    role = role_in(user, team)
    if role is None:
        raise Http404
    if not at_least(role, required):
        raise Forbidden("forbidden", f"You need the {required} role in this team to {action}; you are {role}.")
    return role


def get_team(user: AbstractBaseUser, pk: int) -> Team:
    team = teams_for(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def memberships_of(team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("created_at", "id")


def workflows_for(
    user: AbstractBaseUser,
    *,
    team: int | None = None,
    search: str | None = None,
    tag: str | None = None,
    deleted: bool = False,
) -> QuerySet[Workflow]:
    qs = Workflow.objects.filter(team__memberships__user=user, deleted_at__isnull=not deleted)
    if team is not None:
        qs = qs.filter(team_id=team)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if tag:
        # JSON containment is not on SQLite; tags are few per workflow, so match the JSON text instead.
        qs = qs.filter(tags__icontains=f'"{tag}"')
    return qs.select_related("team", "created_by", "draft_updated_by").order_by("-updated_at", "-id")


def get_workflow(user: AbstractBaseUser, pk: int, *, deleted: bool = False) -> Workflow:
    workflow = workflows_for(user, deleted=deleted).filter(pk=pk).first()
    if workflow is None:
        raise Http404
    return workflow


def latest_version(workflow: Workflow) -> WorkflowVersion | None:
    return workflow.versions.order_by("-number").first()


def get_version(workflow: Workflow, number: int) -> WorkflowVersion:
    version = workflow.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise Http404
    return version


def activity_of(team: Team) -> QuerySet[Activity]:
    return team.activity.select_related("actor")


def tokens_of(user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return user.api_tokens.filter(revoked_at__isnull=True).order_by("-created_at")
