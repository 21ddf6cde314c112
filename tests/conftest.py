"""Shared fixtures: the three people of every API test — an owner, teammates by role, and an outsider;
workflows with a saved version; and an in-process stand-in for the queue, for tests of the executor's
logic (the real broker and workers are in tests/integration/): enqueued steps are collected and run in
order, a timer's countdown skipped by making the timer due."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from designer import services
from designer.models import Team
from executor import driver
from executor.models import Execution

PASSWORD = "a-long-enough-password-1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests only need passwords to check out.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    # A test's rows roll back without a signal, and SQLite hands their ids out again: the next test must
    # not find the machines or the event rules of the last one in this process's caches.
    from triggers.events import forget_rules

    driver.forget_machines()
    forget_rules()


@pytest.fixture
def make_user(db):
    def make(username: str):
        return services.create_user(username=username, email=f"{username}@example.com", password=PASSWORD)

    return make


@pytest.fixture
def owner(make_user):
    return make_user("alice")


@pytest.fixture
def team(owner) -> Team:
    return services.create_team(user=owner, name="Platform")


@pytest.fixture
def member(make_user, owner, team):
    """A teammate with the given role in `team`."""

    def make(role: str, username: str | None = None):
        user = make_user(username or f"{role}-bob")
        services.add_member(actor=owner, team=team, user_reference=user.username, role=role)
        return user

    return make


@pytest.fixture
def editor(member):
    return member("editor")


@pytest.fixture
def runner(member):
    return member("runner")


@pytest.fixture
def viewer(member):
    return member("viewer")


@pytest.fixture
def outsider(make_user):
    return make_user("mallory")


@pytest.fixture
def client_for():
    """An API client logged in as the given user (session auth, as the browser uses)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def workflow(owner, team):
    return services.create_workflow(user=owner, team=team, name="orders", tags=["billing"])


@pytest.fixture
def queue(monkeypatch):
    pending: list[tuple[int, int]] = []
    monkeypatch.setattr(driver, "enqueue", lambda pk, seq, countdown=None: pending.append((pk, seq)))

    def drain(limit: int = 100_000) -> int:
        steps = 0
        while pending and steps < limit:
            pk, seq = pending.pop(0)
            # Time travel: a timer's countdown has passed by the time its message is taken.
            Execution.objects.filter(pk=pk, waiting=Execution.Waiting.TIMER).update(wake_at=None)
            driver.advance(pk, seq)
            steps += 1
        return steps

    drain.pending = pending
    return drain


@pytest.fixture
def versioned(owner, team):
    """A workflow of `team` with one saved version of the given definition."""

    def make(definition: dict, name: str = "flow"):
        workflow = services.create_workflow(
            user=owner, team=team, name=name, definition=json.dumps(definition, indent=2)
        )
        services.create_version(user=owner, workflow=workflow, message="v1")
        return workflow

    return make
