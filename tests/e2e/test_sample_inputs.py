"""A sample input saved in the run dialog is the team's: a teammate opening the dialog finds it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from designer import services
from designer.models import SampleInput

from .test_designer import sign_up
from .test_runs import open_run_dialog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEFINITION = json.dumps({"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": True}}})


def test_a_saved_sample_input_is_offered_to_a_teammate(live_server, new_page, shot):
    ravi_page, kim_page = new_page(), new_page()
    sign_up(ravi_page, live_server.url, "ravi")
    sign_up(kim_page, live_server.url, "kim")
    users = get_user_model().objects
    ravi = users.get(username="ravi")
    team = services.create_team(user=ravi, name="Orders")
    services.add_member(actor=ravi, team=team, user_reference="kim", role="runner")
    workflow = services.create_workflow(user=ravi, team=team, name="Greeter", definition=DEFINITION)
    services.create_version(user=ravi, workflow=workflow, message="v1")

    dialog = open_run_dialog(ravi_page, live_server.url, workflow)
    dialog.get_by_label("Execution input").fill('{"order": 42, "rush": true}')
    ravi_page.once("dialog", lambda prompt: prompt.accept("rush order"))
    dialog.get_by_role("button", name="Save as sample").click()
    dialog.get_by_role("button", name="Delete sample").wait_for()
    assert SampleInput.objects.get(workflow=workflow).input == {"order": 42, "rush": True}

    # Kim, in another browser, opens the dialog: the sample is chosen and its input filled in
    kim_dialog = open_run_dialog(kim_page, live_server.url, workflow)
    samples = kim_dialog.get_by_label("Sample inputs")
    samples.wait_for()
    assert samples.input_value() == "rush order"
    assert json.loads(kim_dialog.get_by_label("Execution input").inner_text()) == {"order": 42, "rush": True}
    shot(kim_page, "01-teammate-sees-the-sample")

    # and Kim deletes it for everyone
    kim_page.once("dialog", lambda confirm: confirm.accept())
    kim_dialog.get_by_role("button", name="Delete sample").click()
    samples.wait_for(state="detached")
    assert not SampleInput.objects.filter(workflow=workflow).exists()
    assert not ravi_page.errors and not kim_page.errors
