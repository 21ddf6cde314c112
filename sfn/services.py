"""Writes of the Step Functions endpoint, on top of the designer's and executor's services.

Keyword-only, each in one transaction. Role checks are the designer's: a key acts as its user.
"""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from designer import services as designer_services
from designer.aws import crypto
from designer.errors import Forbidden
from designer.models import Team, Workflow, WorkflowVersion
from designer.roles import Role
from designer.selectors import latest_version, require_role, role_in
from sfn.models import AccessKey, MachineSettings

_ID_ALPHABET = string.ascii_uppercase + "234567"


# --- access keys --------------------------------------------------------------------------------


@transaction.atomic
def create_access_key(*, user: AbstractBaseUser, team: Team, name: str = "") -> tuple[AccessKey, str]:
    """A new key pair for `team`, acting as `user`; the secret is returned this once."""
    require_role(user, team, Role.VIEWER, "create access keys")
    access_key_id = "STEP" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(16))
    secret = secrets.token_urlsafe(30)  # 40 characters, as AWS's
    key = AccessKey.objects.create(
        team=team,
        user=user,
        name=name,
        access_key_id=access_key_id,
        secret_encrypted=crypto.encrypt({"secret_access_key": secret}),
    )
    return key, secret


@transaction.atomic
def revoke_access_key(*, user: AbstractBaseUser, key: AccessKey) -> None:
    """Its own user or an owner of the team may revoke a key."""
    if key.user_id != user.pk and role_in(user, key.team) != Role.OWNER:
        raise Forbidden("forbidden", "Only the key's user or an owner of the team can revoke it.")
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])


# --- state machines -----------------------------------------------------------------------------


def tags_to_list(tags: list[dict[str, str]]) -> list[str]:
    """AWS tags as the designer's: `key=value`, or `key` alone when the value is empty."""
    return [f"{t['key']}={t['value']}" if t.get("value") else t["key"] for t in tags]


def list_to_tags(tags: list[str]) -> list[dict[str, str]]:
    out = []
    for tag in tags:
        key, _, value = tag.partition("=")
        out.append({"key": key, "value": value})
    return out


def merge_tags(existing: list[str], added: list[dict[str, str]]) -> list[str]:
    keys = {t["key"] for t in added}
    kept = [t for t in list_to_tags(existing) if t["key"] not in keys]
    return tags_to_list(kept + list(added))


def settings_of(workflow: Workflow) -> MachineSettings:
    """The workflow's settings (unsaved defaults for a workflow made in the designer)."""
    try:
        return workflow.sfn_settings
    except MachineSettings.DoesNotExist:
        return MachineSettings(workflow=workflow)


def current_definition(workflow: Workflow) -> str:
    """What the state machine runs: its latest version's definition (the draft until there is one)."""
    version = latest_version(workflow)
    return version.definition if version is not None else workflow.draft_definition


@transaction.atomic
def create_state_machine(
    *,
    user: AbstractBaseUser,
    team: Team,
    name: str,
    definition: str,
    type: str,
    role_arn: str,
    tags: list[dict[str, str]],
    options: dict[str, Any],
) -> tuple[Workflow, WorkflowVersion]:
    """A workflow of `team` with `definition` as its draft and version 1."""
    workflow = designer_services.create_workflow(
        user=user,
        team=team,
        name=name,
        description="Created through the Step Functions API.",
        tags=tags_to_list(tags),
        definition=definition,
    )
    version, _ = designer_services.create_version(user=user, workflow=workflow, message="CreateStateMachine")
    MachineSettings.objects.create(workflow=workflow, type=type, role_arn=role_arn, **options)
    return workflow, version


@transaction.atomic
def update_state_machine(
    *,
    user: AbstractBaseUser,
    workflow: Workflow,
    definition: str | None,
    role_arn: str | None,
    options: dict[str, Any],
) -> WorkflowVersion | None:
    """A new draft and version when the definition changed; the settings saved. Returns the latest version."""
    require_role(user, workflow.team, Role.EDITOR, "edit workflows")
    if definition is not None:
        workflow = Workflow.objects.select_for_update().get(pk=workflow.pk)
        designer_services.save_draft(
            user=user,
            workflow=workflow,
            definition=definition,
            layout=workflow.draft_layout,
            revision=workflow.draft_revision,
        )
        designer_services.create_version(user=user, workflow=workflow, message="UpdateStateMachine")
    machine = settings_of(workflow)
    if role_arn is not None:
        machine.role_arn = role_arn
    for field, value in options.items():
        setattr(machine, field, value)
    machine.save()
    return latest_version(workflow)


@transaction.atomic
def publish_version(*, user: AbstractBaseUser, workflow: Workflow, description: str | None) -> WorkflowVersion | None:
    """PublishStateMachineVersion: the latest version (one is made from the draft when there is none)."""
    require_role(user, workflow.team, Role.EDITOR, "publish versions")
    version = latest_version(workflow)
    if version is None:
        version, _ = designer_services.create_version(
            user=user, workflow=workflow, message="PublishStateMachineVersion"
        )
    machine = settings_of(workflow)
    machine.published = {**machine.published, str(version.number): description or ""}
    machine.save()
    return version


def dumps(value: Any) -> str:
    """JSON as Step Functions writes it: compact."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
