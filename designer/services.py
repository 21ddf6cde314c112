"""Writes. Keyword-only functions, each in one transaction, each leaving a line in the activity log."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

import asl
from designer.authentication import hash_token
from designer.errors import Conflict, ServiceError
from designer.models import (
    Activity,
    ApiToken,
    Membership,
    SampleInput,
    Team,
    ValidationStatus,
    Workflow,
    WorkflowVersion,
)
from designer.roles import Role
from designer.selectors import require_role

User = get_user_model()
Verb = Activity.Verb
RECOVERY_DAYS = 30

BLANK_DEFINITION = (
    json.dumps(
        {"Comment": "A new workflow", "StartAt": "Start", "States": {"Start": {"Type": "Pass", "End": True}}},
        indent=2,
    )
    + "\n"
)


MAX_PAYLOAD_BYTES = 256 * 1024  # AWS's limit for an execution's input, a task's output and any state's data


def check_payload(value: Any, field: str) -> None:
    """Refuse a JSON value larger than Step Functions accepts, naming the field."""
    size = len(json.dumps(value).encode())
    if size > MAX_PAYLOAD_BYTES:
        raise ServiceError(
            "payload_too_large",
            f"The {field} is {size // 1024} KiB; Step Functions accepts at most 256 KiB.",
            {"field": f"/{field}"},
        )


def record(*, team: Team, actor: AbstractBaseUser | None, verb: str, subject: str, workflow=None, **details) -> None:
    Activity.objects.create(team=team, actor=actor, verb=verb, workflow=workflow, subject=subject, details=details)


# --- people and teams ---------------------------------------------------------------------------


@transaction.atomic
def create_user(*, username: str, email: str, password: str) -> AbstractBaseUser:
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("username_taken", f"The username {username!r} is taken.", {"field": "/username"})
    if email and User.objects.filter(email__iexact=email).exists():
        raise Conflict("email_taken", f"An account with {email!r} exists already.", {"field": "/email"})
    user = User.objects.create_user(username=username, email=email, password=password)
    team = Team.objects.create(name=f"{username}'s team", personal=True)
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return user


@transaction.atomic
def create_team(*, user: AbstractBaseUser, name: str) -> Team:
    team = Team.objects.create(name=name)
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    record(team=team, actor=user, verb=Verb.CREATED, subject=f"team {name}")
    return team


@transaction.atomic
def rename_team(*, user: AbstractBaseUser, team: Team, name: str) -> Team:
    require_role(user, team, Role.OWNER, "rename the team")
    old, team.name = team.name, name
    team.save(update_fields=["name"])
    record(team=team, actor=user, verb=Verb.UPDATED, subject=f"team {name}", renamed_from=old)
    return team


@transaction.atomic
def delete_team(*, user: AbstractBaseUser, team: Team) -> None:
    require_role(user, team, Role.OWNER, "delete the team")
    if team.personal:
        raise ServiceError("personal_team", "A personal team cannot be deleted.")
    if team.workflows.exists():
        raise Conflict("team_not_empty", "Move or delete the team's workflows first.")
    team.delete()


def _find_user(reference: str) -> AbstractBaseUser:
    user = User.objects.filter(Q(username__iexact=reference) | Q(email__iexact=reference), is_active=True).first()
    if user is None:
        raise ServiceError("user_not_found", f"No user has the username or email {reference!r}.", {"field": "/user"})
    return user


@transaction.atomic
def add_member(*, actor: AbstractBaseUser, team: Team, user_reference: str, role: str) -> Membership:
    require_role(actor, team, Role.OWNER, "manage members")
    if team.personal:
        raise ServiceError("personal_team", "A personal team has only its owner; create a team to share work.")
    user = _find_user(user_reference)
    if Membership.objects.filter(team=team, user=user).exists():
        raise Conflict("already_member", f"{user.username} is already a member of {team.name}.")
    membership = Membership.objects.create(team=team, user=user, role=role)
    record(team=team, actor=actor, verb=Verb.ADDED_MEMBER, subject=user.username, role=role)
    return membership


def _lock_owners(team: Team) -> int:
    # Lock the owner rows so two owners cannot demote each other at the same moment.
    return len(list(Membership.objects.select_for_update().filter(team=team, role=Role.OWNER)))


@transaction.atomic
def change_role(*, actor: AbstractBaseUser, membership: Membership, role: str) -> Membership:
    require_role(actor, membership.team, Role.OWNER, "change roles")
    if membership.role == Role.OWNER and role != Role.OWNER and _lock_owners(membership.team) <= 1:
        raise Conflict("last_owner", "The team needs at least one owner: make someone else owner first.")
    old, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    record(
        team=membership.team,
        actor=actor,
        verb=Verb.CHANGED_ROLE,
        subject=membership.user.username,
        before=old,
        after=role,
    )
    return membership


@transaction.atomic
def remove_member(*, actor: AbstractBaseUser, membership: Membership) -> None:
    leaving = membership.user_id == actor.pk
    if not leaving:
        require_role(actor, membership.team, Role.OWNER, "remove members")
    if membership.role == Role.OWNER and _lock_owners(membership.team) <= 1:
        raise Conflict("last_owner", "The last owner cannot leave the team: make someone else owner first.")
    membership.delete()
    record(team=membership.team, actor=actor, verb=Verb.REMOVED_MEMBER, subject=membership.user.username, left=leaving)


def create_token(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown this once and never stored."""
    key = "sw_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=hash_token(key))
    return token, key


def revoke_token(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


# --- workflows ----------------------------------------------------------------------------------


def check_definition(definition: str) -> tuple[str, list[dict[str, Any]]]:
    """The validation status and diagnostics of a definition text."""
    diagnostics = [d.to_dict() for d in asl.validate(definition)]
    has_error = any(d["severity"] == asl.ERROR for d in diagnostics)
    return (ValidationStatus.INVALID if has_error else ValidationStatus.VALID), diagnostics


def _check_size(definition: str) -> None:
    if len(definition.encode()) > settings.MAX_DEFINITION_BYTES:
        raise ServiceError(
            "definition_too_large",
            f"The definition is larger than {settings.MAX_DEFINITION_BYTES // 1024} KiB, AWS's limit.",
            {"field": "/definition"},
        )


def _name_taken(team: Team, name: str, exclude: int | None = None) -> bool:
    return Workflow.objects.filter(team=team, name=name, deleted_at__isnull=True).exclude(pk=exclude).exists()


def _free_name(team: Team, name: str) -> str:
    candidate, n = name, 1
    while _name_taken(team, candidate):
        n += 1
        suffix = " (copy)" if n == 2 else f" (copy {n - 1})"
        candidate = name[: 80 - len(suffix)] + suffix
    return candidate


def _save_unique(workflow: Workflow) -> Workflow:
    try:
        with transaction.atomic():
            workflow.save()
    except IntegrityError:
        raise Conflict("name_taken", f"The team already has a workflow named {workflow.name!r}.", {"field": "/name"})
    return workflow


@transaction.atomic
def create_workflow(
    *,
    user: AbstractBaseUser,
    team: Team,
    name: str,
    description: str = "",
    tags: list[str] | None = None,
    definition: str | None = None,
    layout: dict | None = None,
) -> Workflow:
    require_role(user, team, Role.EDITOR, "create workflows")
    definition = BLANK_DEFINITION if definition is None else definition
    _check_size(definition)
    status, _ = check_definition(definition)
    workflow = Workflow(
        team=team,
        name=name,
        description=description,
        tags=tags or [],
        created_by=user,
        draft_definition=definition,
        draft_layout=layout or {},
        draft_updated_by=user,
        validation_status=status,
    )
    _save_unique(workflow)
    record(team=team, actor=user, verb=Verb.CREATED, subject=name, workflow=workflow)
    return workflow


@transaction.atomic
def update_workflow(*, user: AbstractBaseUser, workflow: Workflow, **fields: Any) -> Workflow:
    require_role(user, workflow.team, Role.EDITOR, "edit workflows")
    changed = {key: value for key, value in fields.items() if getattr(workflow, key) != value}
    for key, value in changed.items():
        setattr(workflow, key, value)
    if changed:
        _save_unique(workflow)
        record(
            team=workflow.team,
            actor=user,
            verb=Verb.UPDATED,
            subject=workflow.name,
            workflow=workflow,
            fields=sorted(changed),
        )
    return workflow


def save_draft(
    *, user: AbstractBaseUser, workflow: Workflow, definition: str, layout: dict, revision: int
) -> tuple[Workflow, list[dict[str, Any]]]:
    """Autosave with optimistic concurrency: only the holder of the current revision may write."""
    require_role(user, workflow.team, Role.EDITOR, "edit workflows")
    _check_size(definition)
    status, diagnostics = check_definition(definition)
    now = timezone.now()
    updated = Workflow.objects.filter(pk=workflow.pk, draft_revision=revision).update(
        draft_definition=definition,
        draft_layout=layout,
        draft_revision=revision + 1,
        draft_updated_at=now,
        draft_updated_by=user,
        validation_status=status,
        updated_at=now,
    )
    workflow.refresh_from_db()
    if not updated:
        from designer.serializers import DraftSerializer  # the body of a 409 is the current draft

        raise Conflict(
            "conflict",
            f"Someone else saved this draft (now at revision {workflow.draft_revision}); "
            "reload it and apply your change again.",
            {"draft": DraftSerializer(workflow).data},
        )
    return workflow, diagnostics


def content_hash(definition: str, layout: dict) -> str:
    digest = hashlib.sha256(definition.encode())
    digest.update(b"\0" + json.dumps(layout, sort_keys=True, separators=(",", ":")).encode())
    return digest.hexdigest()


@transaction.atomic
def create_version(*, user: AbstractBaseUser, workflow: Workflow, message: str = "") -> tuple[WorkflowVersion, bool]:
    """Snapshot the draft; the latest version again (and False) when nothing changed since."""
    require_role(user, workflow.team, Role.EDITOR, "save versions")
    workflow = Workflow.objects.select_for_update().get(pk=workflow.pk)  # numbers are handed out one at a time
    digest = content_hash(workflow.draft_definition, workflow.draft_layout)
    latest = workflow.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest, False
    status, diagnostics = check_definition(workflow.draft_definition)
    number = (workflow.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = WorkflowVersion.objects.create(
        workflow=workflow,
        number=number,
        definition=workflow.draft_definition,
        layout=workflow.draft_layout,
        content_hash=digest,
        author=user,
        message=message,
        validation_status=status,
        diagnostics=diagnostics,
    )
    Workflow.objects.filter(pk=workflow.pk).update(updated_at=timezone.now())
    record(
        team=workflow.team,
        actor=user,
        verb=Verb.SAVED_VERSION,
        subject=workflow.name,
        workflow=workflow,
        version=number,
        message=message,
    )
    return version, True


@transaction.atomic
def restore_version(*, user: AbstractBaseUser, workflow: Workflow, version: WorkflowVersion) -> Workflow:
    require_role(user, workflow.team, Role.EDITOR, "restore versions")
    now = timezone.now()
    Workflow.objects.filter(pk=workflow.pk).update(
        draft_definition=version.definition,
        draft_layout=version.layout,
        draft_revision=workflow.draft_revision + 1,
        draft_updated_at=now,
        draft_updated_by=user,
        validation_status=version.validation_status,
        updated_at=now,
    )
    workflow.refresh_from_db()
    record(
        team=workflow.team,
        actor=user,
        verb=Verb.RESTORED_VERSION,
        subject=workflow.name,
        workflow=workflow,
        version=version.number,
    )
    return workflow


@transaction.atomic
def delete_workflow(*, user: AbstractBaseUser, workflow: Workflow) -> None:
    """Into the bin: an owner can recover it for RECOVERY_DAYS days."""
    require_role(user, workflow.team, Role.EDITOR, "delete workflows")
    workflow.deleted_at, workflow.deleted_by = timezone.now(), user
    workflow.save(update_fields=["deleted_at", "deleted_by"])
    record(team=workflow.team, actor=user, verb=Verb.DELETED, subject=workflow.name, workflow=workflow)


@transaction.atomic
def undelete_workflow(*, user: AbstractBaseUser, workflow: Workflow) -> Workflow:
    require_role(user, workflow.team, Role.OWNER, "recover deleted workflows")
    if workflow.deleted_at < timezone.now() - timedelta(days=RECOVERY_DAYS):
        raise ServiceError("expired", f"Deleted workflows can be recovered for {RECOVERY_DAYS} days only.")
    workflow.deleted_at = workflow.deleted_by = None
    _save_unique(workflow)
    record(team=workflow.team, actor=user, verb=Verb.UNDELETED, subject=workflow.name, workflow=workflow)
    return workflow


def purge_deleted_workflows(*, now=None) -> int:
    """Forget workflows deleted more than RECOVERY_DAYS ago; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=RECOVERY_DAYS)
    count, _ = Workflow.objects.filter(deleted_at__lt=cutoff).delete()
    return count


@transaction.atomic
def duplicate_workflow(
    *, user: AbstractBaseUser, workflow: Workflow, team: Team | None = None, name: str | None = None
) -> Workflow:
    target = team or workflow.team
    require_role(user, target, Role.EDITOR, "create workflows")
    copy = create_workflow(
        user=user,
        team=target,
        name=name or _free_name(target, workflow.name),
        description=workflow.description,
        tags=list(workflow.tags),
        definition=workflow.draft_definition,
        layout=dict(workflow.draft_layout),
    )
    record(team=target, actor=user, verb=Verb.DUPLICATED, subject=workflow.name, workflow=copy, copy=copy.name)
    return copy


@transaction.atomic
def move_workflow(*, user: AbstractBaseUser, workflow: Workflow, team: Team) -> Workflow:
    """Move to another team; the user must own both. Versions go along."""
    require_role(user, workflow.team, Role.OWNER, "move workflows out of this team")
    require_role(user, team, Role.OWNER, "move workflows into that team")
    if team.pk == workflow.team_id:
        return workflow
    source = workflow.team
    if _name_taken(team, workflow.name):
        raise Conflict("name_taken", f"{team.name} already has a workflow named {workflow.name!r}.")
    workflow.team = team
    workflow.save(update_fields=["team", "updated_at"])
    record(team=source, actor=user, verb=Verb.MOVED_OUT, subject=workflow.name, to_team=team.name)
    record(team=team, actor=user, verb=Verb.MOVED_IN, subject=workflow.name, workflow=workflow, from_team=source.name)
    return workflow


def import_workflow(
    *, user: AbstractBaseUser, team: Team, text: str, name: str | None = None, state_machine: str | None = None
) -> Workflow:
    """ASL text is kept as written; a template's state machine is taken out of it, placeholders and all."""
    from designer import exporters

    require_role(user, team, Role.EDITOR, "import workflows")
    value, problems = asl.validation.load_definition(text)
    if problems:
        raise ServiceError(
            "invalid_definition", "The file is not JSON or YAML.", {"diagnostics": [p.to_dict() for p in problems]}
        )
    if isinstance(value, dict) and "States" in value:
        return create_workflow(user=user, team=team, name=name or "Imported workflow", definition=text)
    try:
        machines = exporters.import_template(text)
    except exporters.TemplateImportError as error:
        raise ServiceError("not_importable", f"Neither ASL nor a template with a state machine: {error}")
    choices = [{"logical_id": m.logical_id, "name": m.name, "type": m.state_machine_type} for m in machines]
    if state_machine is None and len(machines) > 1:
        raise ServiceError(
            "choose_state_machine",
            "The template has several state machines: choose one.",
            {"field": "/state_machine", "choices": choices},
        )
    machine = next((m for m in machines if state_machine in (None, m.logical_id)), None)
    if machine is None:
        raise ServiceError(
            "unknown_state_machine",
            f"The template has no state machine {state_machine!r}.",
            {"field": "/state_machine", "choices": choices},
        )
    if machine.definition is None:
        raise ServiceError("not_importable", machine.problem or "The state machine's definition is not inline.")
    return create_workflow(
        user=user,
        team=team,
        name=name or machine.name or machine.logical_id,
        definition=exporters.to_json(machine.definition),
        description=f"Imported from the template's {machine.logical_id}.",
    )


# --- sample inputs ---------------------------------------------------------------------------------


@transaction.atomic
def save_sample_input(*, user: AbstractBaseUser, workflow: Workflow, name: str, input: Any) -> tuple[SampleInput, bool]:
    """Save `input` under `name`, replacing a sample of that name; True when it is new."""
    require_role(user, workflow.team, Role.RUNNER, "save sample inputs")
    check_payload(input, "input")
    sample, created = SampleInput.objects.update_or_create(
        workflow=workflow, name=name, defaults={"input": input, "updated_by": user}
    )
    return sample, created


@transaction.atomic
def delete_sample_input(*, user: AbstractBaseUser, sample: SampleInput) -> None:
    require_role(user, sample.workflow.team, Role.RUNNER, "delete sample inputs")
    sample.delete()
