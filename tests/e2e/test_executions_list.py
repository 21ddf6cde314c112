"""The executions list across workflows starts on the team chosen in the header; another team, or all of
the user's teams, is one choice away."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from designer import services
from designer.models import Team
from executor import driver
from executor.services import start_execution

from .test_designer import sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEFINITION = json.dumps({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 600, "End": True}}})


def run(user, team: Team, workflow_name: str, execution_name: str) -> None:
    workflow = services.create_workflow(user=user, team=team, name=workflow_name, definition=DEFINITION)
    services.create_version(user=user, workflow=workflow, message="v1")
    start_execution(user=user, workflow=workflow, name=execution_name)


def names(page) -> set[str]:
    return set(page.locator(".execution-table tbody tr td:nth-child(2) a").all_inner_texts())


def test_executions_are_listed_per_team(live_server, new_page, shot, monkeypatch):
    monkeypatch.setattr(driver, "enqueue", lambda pk, seq, countdown=None: None)  # no worker: they stay RUNNING
    page = new_page()
    sign_up(page, live_server.url, "ravi")
    ravi = get_user_model().objects.get(username="ravi")
    personal = Team.objects.get(memberships__user=ravi, personal=True)
    orders = services.create_team(user=ravi, name="Orders")
    run(ravi, personal, "Sandbox", "sandbox-run")
    run(ravi, orders, "Billing", "billing-run")

    page.goto(f"{live_server.url}/executions")  # the header's team is still the personal one
    page.get_by_role("link", name="sandbox-run").wait_for()
    assert names(page) == {"sandbox-run"}

    page.get_by_label("Team", exact=True).last.select_option(label="All my teams")
    page.get_by_role("link", name="billing-run").wait_for()
    assert names(page) == {"sandbox-run", "billing-run"}
    shot(page, "01-all-teams")

    page.get_by_label("Team", exact=True).last.select_option(label="Orders")
    page.get_by_role("link", name="sandbox-run").wait_for(state="detached")
    assert names(page) == {"billing-run"}
    assert not page.errors
