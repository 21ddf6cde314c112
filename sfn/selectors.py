"""Reads of access keys, scoped to the user's teams."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from designer.models import Team
from sfn.models import AccessKey


def access_keys_of(team: Team) -> QuerySet[AccessKey]:
    return team.sfn_access_keys.filter(revoked_at__isnull=True).select_related("user").order_by("-created_at", "-id")


def access_keys_for(user: AbstractBaseUser, team: Team) -> QuerySet[AccessKey]:
    """Every member sees the team's live keys (never their secrets)."""
    return access_keys_of(team)
