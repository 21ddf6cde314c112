"""Breakpoints in the browser, against a live server with a real Celery worker process: a breakpoint set in
the run dialog pauses the run before its state, the user edits the state's input, sets another breakpoint
on the graph, continues, and the run finishes with the edited input's effect."""

from __future__ import annotations

import json
import re

import pytest

from executor.models import Execution
from tests.integration.conftest import require_real_services, start_worker, wait_for, worker_env  # noqa: F401

from .conftest import ARTIFACTS
from .test_designer import sign_up
from .test_runs import open_run_dialog, wait_status, workflow_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FLOW = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "Double"},
        "Double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, $.n)"}, "Next": "Report"},
        "Report": {"Type": "Pass", "End": True},
    },
}


def paused_before(page, state: str):
    panel = page.get_by_role("region", name=f"Paused before {state}")
    panel.wait_for()
    return panel


def test_a_breakpoint_pauses_a_run_and_continue_finishes_it(live_server, new_page, shot, start_worker, request):  # noqa: F811
    require_real_services()
    start_worker(concurrency=1)
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "bea")
    workflow = workflow_of("bea", "Doubler", json.dumps(FLOW, indent=2))

    dialog = open_run_dialog(page, live_server.url, workflow)
    dialog.get_by_label("Test case", exact=True).select_option("")
    dialog.get_by_label("Execution input").fill('{"n": 2}')
    chip = dialog.get_by_role("button", name="Breakpoint on Double")
    chip.click()
    assert chip.get_attribute("aria-pressed") == "true"
    shot(page, "01-run-dialog-breakpoint")
    dialog.get_by_role("button", name="Start").click()

    page.wait_for_url(re.compile(r"/executions/\d+$"))
    execution = Execution.objects.get(workflow=workflow)
    assert execution.snapshot is None or execution.snapshot.get("breakpoints") == ["Double"]

    # the worker runs Prepare and parks the run before Double
    panel = paused_before(page, "Double")
    page.get_by_test_id("paused-Double").wait_for()
    wait_status(page, "Prepare", "succeeded")
    wait_status(page, "Double", "not-run")
    assert page.get_by_test_id("breakpoint-Double").get_attribute("aria-pressed") == "true"
    assert page.get_by_test_id("execution-status").inner_text() == "RUNNING"
    editor = panel.get_by_label("Input of Double")
    assert json.loads(editor.inner_text()) == {"n": 2}
    row = Execution.objects.get(pk=execution.pk)
    assert (row.waiting, row.status) == (Execution.Waiting.PAUSED, "RUNNING")

    # another breakpoint, on the graph
    page.get_by_test_id("breakpoint-Report").click()
    page.locator("[data-testid='breakpoint-Report'][aria-pressed='true']").wait_for()
    assert wait_for(lambda: Execution.objects.get(pk=execution.pk).snapshot.get("breakpoints") == ["Double", "Report"])

    editor.fill('{"n": 21}')
    shot(page, "02-paused-before-double-edited")
    page.get_by_test_id("run-graph").screenshot(path=str(ARTIFACTS / f"{request.node.name}--02-graph.png"))
    panel.get_by_role("button", name="Continue").click()

    # Double ran with the edited input; the run pauses again before Report, with Double's output
    panel = paused_before(page, "Report")
    assert json.loads(panel.get_by_label("Input of Report").inner_text()) == {"n": 42}
    wait_status(page, "Double", "succeeded")
    page.get_by_test_id("paused-Report").wait_for()
    shot(page, "03-paused-before-report")
    panel.get_by_role("button", name="Continue").click()

    page.get_by_test_id("execution-status").filter(has_text="SUCCEEDED").wait_for()
    wait_status(page, "Report", "succeeded")
    output = page.get_by_label("Execution output")
    output.wait_for()
    assert json.loads(output.inner_text()) == {"n": 42}
    assert page.get_by_role("region", name=re.compile("Paused before")).count() == 0
    shot(page, "04-succeeded")

    # Run again keeps the breakpoints
    page.get_by_role("button", name="Run again…").click()
    again = page.get_by_role("dialog", name="Run")
    for name, pressed in (("Prepare", "false"), ("Double", "true"), ("Report", "true")):
        again.locator(f"[aria-label='Breakpoint on {name}'][aria-pressed='{pressed}']").wait_for()
    assert page.errors == []


MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Inner",
                "States": {
                    "Inner": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($, $)"}, "Next": "After"},
                    "After": {"Type": "Pass", "End": True},
                },
            },
            "Next": "Report",
        },
        "Report": {"Type": "Pass", "End": True},
    },
}


def test_iterations_paused_inside_a_map_show_on_their_state_and_go_on_all_at_once(
    live_server,
    new_page,
    shot,
    start_worker,  # noqa: F811
):
    require_real_services()
    start_worker(concurrency=2)
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "cal")
    workflow = workflow_of("cal", "Paused map", json.dumps(MAP, indent=2))
    from django.contrib.auth import get_user_model

    from executor import services

    user = get_user_model().objects.get(username="cal")
    execution = services.start_execution(
        user=user, workflow=workflow, input=[1, 2, 3], name="paused-map", breakpoints=["Inner"]
    )
    page.goto(f"{live_server.url}/executions/{execution.pk}")

    # the three iterations pause before Inner: the state inside the Map says so, and one panel goes on with all
    everyone = page.get_by_role("region", name="All paused")
    everyone.get_by_role("heading", name="3 paused before Inner").wait_for()
    page.get_by_test_id("paused-Inner").wait_for()
    page.get_by_test_id("live-here-Inner").filter(has_text="3 paused here").wait_for()
    wait_status(page, "Each", "running")
    wait_status(page, "Inner", "not-run")  # not entered yet
    assert page.get_by_role("region", name=re.compile(r"Paused before Inner \(iteration \d\)")).count() == 3
    # the Map's panel lists them as paused
    page.get_by_test_id("run-state-Each").locator(".container-header").click()
    iterations = page.get_by_role("complementary", name="State Each").get_by_label("Live iterations")
    iterations.locator(".iteration[data-status='paused']").nth(2).wait_for()
    assert iterations.locator(".iteration").first.get_attribute("title") == "Item 0: paused before Inner"
    shot(page, "05-map-iterations-paused")
    page.get_by_role("button", name="Close the state panel").click()

    # Step all: each runs Inner and pauses again before After
    everyone.get_by_role("button", name="Step all").click()
    everyone.get_by_role("heading", name="3 paused before After").wait_for()
    page.get_by_test_id("live-here-After").filter(has_text="3 paused here").wait_for()
    page.get_by_test_id("paused-Inner").wait_for(state="detached")
    inputs = [
        json.loads(
            page.get_by_role("region", name=f"Paused before After (iteration {i})")
            .get_by_label("Input of After")
            .inner_text()
        )
        for i in range(3)
    ]
    assert inputs == [{"doubled": 2}, {"doubled": 4}, {"doubled": 6}]
    shot(page, "06-map-iterations-stepped")

    everyone.get_by_role("button", name="Continue all").click()
    page.get_by_test_id("execution-status").filter(has_text="SUCCEEDED").wait_for()
    wait_status(page, "Report", "succeeded")
    wait_status(page, "Inner", "succeeded")
    assert page.get_by_role("region", name=re.compile("paused", re.I)).count() == 0
    assert page.get_by_test_id("live-here-After").count() == 0
    output = page.get_by_label("Execution output")
    output.wait_for()
    assert json.loads(output.inner_text()) == [{"doubled": 2}, {"doubled": 4}, {"doubled": 6}]
    shot(page, "07-map-continued")
    assert page.errors == []
