"""Team settings and the designer's triggers: an owner adds an AWS connection and sees it listed, creates a
Step Functions access key and sees its secret once, and schedules a workflow and sees its next five due times."""

from __future__ import annotations

import pytest

from designer import services
from tests.e2e.test_designer import PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owner_page(live_server, new_page, transactional_db):
    user = services.create_user(username="olga", email="olga@example.com", password=PASSWORD)
    team = services.create_team(user=user, name="Platform")
    page = new_page()
    log_in(page, live_server.url, "olga")
    return page, user, team


def test_add_an_aws_connection(live_server, owner_page, shot):
    page, _, team = owner_page
    page.goto(f"{live_server.url}/teams/{team.id}")
    page.get_by_role("heading", name="AWS connections").wait_for()
    page.get_by_text("No connections yet.").wait_for()

    page.get_by_role("button", name="Add connection").click()
    form = page.get_by_role("form", name="New AWS connection")
    form.get_by_label("Name").fill("sandbox")
    form.get_by_label("Region").fill("us-east-1")
    assert form.get_by_label("Default credential chain").is_checked()
    shot(page, "01-connection-form")
    form.get_by_role("button", name="Add connection").click()

    table = page.get_by_role("table", name="AWS connections")
    row = table.get_by_role("row").filter(has_text="sandbox")
    row.wait_for()
    assert "us-east-1" in row.inner_text()
    assert "default chain" in row.inner_text()
    assert "not tested" in row.inner_text()
    shot(page, "02-connection-listed")
    assert page.errors == []


def test_create_an_access_key_and_see_its_secret_once(live_server, owner_page, shot):
    page, _, team = owner_page
    page.goto(f"{live_server.url}/teams/{team.id}")
    page.get_by_role("heading", name="Step Functions API access keys").wait_for()
    page.get_by_label("Key name").fill("CI pipeline")
    page.get_by_role("button", name="Create access key").click()

    panel = page.get_by_role("status", name="New access key")
    panel.get_by_text("it is shown this once").wait_for()
    key_id = panel.get_by_label("Access key ID").input_value()
    secret = panel.get_by_label("Secret access key").input_value()
    assert key_id.startswith("STEP") and len(secret) >= 40
    assert panel.get_by_label("Endpoint URL").input_value() == f"{live_server.url}/aws/stepfunctions/"
    command = panel.get_by_label("AWS CLI command").input_value()
    assert f"--endpoint-url {live_server.url}/aws/stepfunctions/ stepfunctions list-state-machines" in command
    assert secret in command
    table = page.get_by_role("table", name="Access keys")
    table.get_by_role("row").filter(has_text=key_id).filter(has_text="CI pipeline").wait_for()
    shot(page, "01-secret-shown")

    page.reload()
    table.get_by_role("row").filter(has_text=key_id).wait_for()
    assert secret not in page.content()
    page.get_by_role("button", name=f"Revoke {key_id}").wait_for()
    shot(page, "02-secret-gone")
    assert page.errors == []


def test_schedule_a_workflow_and_see_its_next_five_times(live_server, owner_page, shot):
    page, user, team = owner_page
    workflow = services.create_workflow(user=user, team=team, name="Nightly report")
    page.goto(f"{live_server.url}/workflows/{workflow.id}")
    page.get_by_text("All changes saved").wait_for()
    page.get_by_role("button", name="Triggers").click()
    dialog = page.get_by_role("dialog", name="Triggers")
    dialog.get_by_text("No schedules.").wait_for()
    dialog.get_by_text("No webhook.").wait_for()

    dialog.get_by_role("button", name="Add schedule").click()
    form = dialog.get_by_role("form", name="New schedule")
    form.get_by_label("Name").fill("nightly")
    form.get_by_label("Expression").fill("cron(0 2 * * ? banana)")
    form.get_by_role("button", name="Create schedule").click()
    # the API's message shows next to the expression, and nothing is created
    form.locator("label", has=page.locator("input[name=schedule-expression]")).locator(".field-error").wait_for()
    shot(page, "01-expression-error")

    form.get_by_label("Expression").fill("cron(0 2 * * ? *)")
    form.get_by_label("Time zone").fill("Europe/Paris")
    form.get_by_label("Input").fill('{"full": true}')
    form.get_by_role("button", name="Create schedule").click()

    card = dialog.get_by_role("article", name="Schedule nightly")
    times = card.get_by_role("list", name="Next due times of nightly").get_by_role("listitem")
    times.nth(4).wait_for()
    assert times.count() == 5
    for item in times.all_inner_texts():
        assert ", 02:00 (Europe/Paris)" in item
    assert "cron(0 2 * * ? *)" in card.inner_text()
    shot(page, "02-next-five-times")

    # switched off, it has no due times
    card.get_by_label("nightly on").uncheck()
    card.get_by_text("Off: no due times.").wait_for()
    assert page.errors == []
