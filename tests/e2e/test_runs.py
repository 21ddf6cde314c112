"""Runs in the browser: start the example Lambda workflow from the designer with a mock test case and
watch it retry and succeed on the graph; a human-approval task waits until the user clicks Approve;
a rejected one, and a run whose task fails, show the error on the failed state; a slow Map shows its
iterations as the workers run them; a deployed workflow runs on AWS (moto's server) and its history arrives.

The runs that are watched live run on a real Celery worker process (tests/integration/conftest.py's
`start_worker`, on the live server's PostgreSQL database and Redis) while the page polls. The two tests that
only open a finished execution run its steps in this thread first (the `worker` fixture).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.utils import timezone

from bench.designer import LOOP_5002
from designer import services
from designer.models import Team
from executor import driver
from executor.models import Execution
from tests.aws.conftest import KEY_ID, SECRET, _no_waiting, aws_env, clean_aws, moto_endpoint  # noqa: F401 - fixtures
from tests.integration.conftest import HANDLERS, database_url, require_real_services, start_worker  # noqa: F401

from .conftest import ARTIFACTS
from .test_designer import sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAMBDA = (Path(__file__).resolve().parents[2] / "designer" / "examples" / "lambda-with-retry.json").read_text()
# The example with a 10-minute back-off: the page is seen retrying for as long as it takes, then the test
# makes the timer due (as time passing would) and the worker's sweeper wakes the run.
SLOW_RETRY = LAMBDA.replace('"IntervalSeconds": 2', '"IntervalSeconds": 600')
assert SLOW_RETRY != LAMBDA
E2E_HANDLERS = {
    "arn:aws:lambda:*:*:function:gated": "tests.e2e.handlers:gated",
    "arn:aws:lambda:*:*:function:charge": "tests.e2e.handlers:declined",
}
APPROVAL = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Result": {"amount": 120}, "ResultPath": "$.order", "Next": "Approve"},
        "Approve": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/approvals",
                "MessageBody.$": "$$.Task.Token",
            },
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Denied"}],
            "Next": "Done",
        },
        "Denied": {"Type": "Fail", "Error": "Denied", "Cause": "a human said no"},
        "Done": {"Type": "Succeed"},
    },
}


@pytest.fixture
def worker_env() -> dict:
    """The env of the real workers: the live server's database, the broker, these tests' handlers (AWS's
    endpoint, moto's server, comes with os.environ from aws_env)."""
    return {
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "STEPWRIGHT_TASK_HANDLERS": json.dumps({**HANDLERS, **E2E_HANDLERS}),
        "STEPWRIGHT_STALE_SECONDS": "5",
    }


@pytest.fixture
def live_worker(start_worker):  # noqa: F811
    """A real Celery worker process (with beat: the sweeper wakes due timers) beside the live server."""
    require_real_services()
    return start_worker(concurrency=4)


def make_timers_due(execution: Execution) -> None:
    """Time passes: the execution's back-off is over, and the worker's sweeper (every 2 s) wakes it."""
    Execution.objects.filter(pk=execution.pk, waiting=Execution.Waiting.TIMER).update(wake_at=timezone.now())


@pytest.fixture
def worker(monkeypatch):
    """Steps the live server enqueues, run on demand in the test's thread."""
    pending: list[tuple[int, int]] = []
    monkeypatch.setattr(driver, "enqueue", lambda pk, seq, countdown=None: pending.append((pk, seq)))

    def step(limit: int = 10_000) -> int:
        done = 0
        while pending and done < limit:
            pk, seq = pending.pop(0)
            for attempt in range(100):
                try:
                    Execution.objects.filter(pk=pk, waiting=Execution.Waiting.TIMER).update(wake_at=None)
                    driver.advance(pk, seq)
                    break
                except OperationalError as error:
                    # the page polls the live server meanwhile, on the same in-memory SQLite: a step that meets
                    # a locked table rolls back and runs again, as a redelivered message would
                    if "locked" not in str(error) or attempt == 99:
                        raise
                    time.sleep(0.05)
            done += 1
        return done

    step.pending = pending
    return step


def workflow_of(username: str, name: str, definition: str, layout: dict | None = None):
    user = get_user_model().objects.get(username=username)
    team = Team.objects.get(memberships__user=user, personal=True)
    workflow = services.create_workflow(user=user, team=team, name=name, definition=definition, layout=layout)
    services.create_version(user=user, workflow=workflow, message="v1")
    return workflow


def open_run_dialog(page, base: str, workflow):
    """The designer of `workflow` with its Run dialog open, the dialog loaded."""
    page.goto(f"{base}/workflows/{workflow.pk}")
    page.get_by_role("button", name="Run", exact=True).click()
    dialog = page.get_by_role("dialog", name="Run")
    dialog.get_by_label("Execution input").wait_for()
    return dialog


def state(page, name: str):
    return page.get_by_test_id(f"run-state-{name}")


def wait_status(page, name: str, status: str) -> None:
    page.locator(f"[data-testid='run-state-{name}'][data-status='{status}']").wait_for()


def test_run_the_lambda_example_with_a_mock_and_watch_it_retry_and_succeed(live_server, new_page, shot, live_worker):
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "ravi")
    workflow = workflow_of("ravi", "Lambda with retry", SLOW_RETRY)

    dialog = open_run_dialog(page, live_server.url, workflow)
    # a new test case: the first call throws, the retry returns
    dialog.get_by_role("button", name="Mock").click()
    dialog.get_by_label("Response of InvokeLambda, attempt 1").select_option("Throw")
    dialog.get_by_label("Error of InvokeLambda, attempt 1").fill("Lambda.ServiceException")
    dialog.get_by_label("Cause of InvokeLambda, attempt 1").fill("throttled")
    dialog.get_by_title("Add an attempt (for retries)").click()
    dialog.get_by_label("Return value of InvokeLambda, attempt 2").fill('{"StatusCode": 200, "Payload": {"hi": "Ada"}}')
    # the input is checked as it is typed
    dialog.get_by_label("Execution input").fill('{"name": "Ada"')
    dialog.get_by_text("Input is not JSON").wait_for()
    assert dialog.get_by_role("button", name="Start").is_disabled()
    dialog.get_by_label("Execution input").fill('{"name": "Ada"}')
    dialog.get_by_role("button", name="Start").wait_for()
    shot(page, "01-run-dialog")
    dialog.get_by_role("button", name="Start").click()

    page.wait_for_url(re.compile(r"/executions/\d+$"))
    execution = Execution.objects.get(workflow=workflow)
    assert (execution.test_case.name, execution.input) == ("default", {"name": "Ada"})
    assert execution.test_case.responses["InvokeLambda"]["0"] == {
        "Throw": {"Error": "Lambda.ServiceException", "Cause": "throttled"}
    }
    page.get_by_test_id("execution-status").filter(has_text="RUNNING").wait_for()

    # the worker's first attempt fails, and the run waits to retry it: the state runs on
    page.get_by_role("cell", name="TaskFailed").wait_for(timeout=30_000)
    wait_status(page, "InvokeLambda", "running")
    assert state(page, "Success").get_attribute("data-status") == "not-run"
    assert page.get_by_test_id("execution-status").inner_text() == "RUNNING"
    shot(page, "02-retrying")

    make_timers_due(execution)
    page.get_by_test_id("execution-status").filter(has_text="SUCCEEDED").wait_for(timeout=30_000)
    wait_status(page, "InvokeLambda", "succeeded")
    wait_status(page, "Success", "succeeded")
    assert "1 retry" in state(page, "InvokeLambda").inner_text()

    # the selected state: its input, the failed attempt, its output
    state(page, "InvokeLambda").click()
    panel = page.get_by_role("complementary", name="State InvokeLambda")
    panel.get_by_text("Lambda.ServiceException").wait_for()
    assert json.loads(panel.get_by_label("Input").inner_text()) == {"name": "Ada"}
    assert json.loads(panel.get_by_label("Output").inner_text()) == {"StatusCode": 200, "Payload": {"hi": "Ada"}}
    # each data-flow step, replayed on the real input and task result
    panel.get_by_text("Data-flow steps").click()
    steps = panel.get_by_test_id("dataflow-steps")
    steps.get_by_text("Parameters").wait_for()
    assert "arn:aws:lambda:us-east-1:123456789012:function:hello" in steps.inner_text()
    # the event table filters
    page.get_by_label("Event kind").select_option("failures")
    assert page.locator(".event-table tbody tr").count() == 1
    shot(page, "03-succeeded")

    # run it again: same input, version and test case
    first_url = page.url
    page.get_by_role("button", name="Run again…").click()
    again = page.get_by_role("dialog", name="Run")
    again.get_by_label("Return value of InvokeLambda, attempt 2").wait_for()
    assert json.loads(again.get_by_label("Execution input").inner_text()) == {"name": "Ada"}
    assert again.get_by_label("Test case", exact=True).input_value() == "default"
    again.get_by_role("button", name="Start").click()
    page.wait_for_url(lambda url: url != first_url and re.search(r"/executions/\d+$", url) is not None)
    page.get_by_role("cell", name="TaskFailed").wait_for(timeout=30_000)
    make_timers_due(Execution.objects.get(pk=int(page.url.rsplit("/", 1)[1])))
    page.get_by_test_id("execution-status").filter(has_text="SUCCEEDED").wait_for(timeout=30_000)
    assert Execution.objects.filter(workflow=workflow, test_case__name="default").count() == 2

    # the executions of the workflow, linked from the designer
    page.goto(f"{live_server.url}/workflows/{workflow.pk}")
    page.locator("header.toolbar").get_by_role("link", name="Executions").click()
    page.wait_for_url(re.compile(rf"/workflows/{workflow.pk}/executions$"))
    page.locator(".execution-table").get_by_text("SUCCEEDED").first.wait_for()
    page.get_by_label("Status").select_option("FAILED")
    page.get_by_text("No executions match these filters").wait_for()
    # and every execution, from the top bar
    page.locator("nav.topbar").get_by_role("link", name="Executions").click()
    page.wait_for_url(re.compile(r"/executions$"))
    page.locator(".execution-table").get_by_text("Lambda with retry").first.wait_for()
    assert page.errors == []


def test_a_callback_task_is_approved_and_another_rejected_from_the_ui(live_server, new_page, shot, live_worker):
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "noor")
    workflow = workflow_of("noor", "Human approval", json.dumps(APPROVAL, indent=2))

    dialog = open_run_dialog(page, live_server.url, workflow)
    dialog.get_by_label("Test case", exact=True).select_option("")
    dialog.get_by_label("Execution name").fill("order-7")
    dialog.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/executions/\d+$"))

    approve = page.get_by_role("region", name="Callback for Approve")
    approve.get_by_role("button", name="Approve").wait_for(timeout=30_000)
    wait_status(page, "Approve", "running")
    wait_status(page, "Prepare", "succeeded")
    shot(page, "01-waiting")
    approve.get_by_label("Output for Approve").fill('{"approved": true, "by": "noor"}')
    approve.get_by_role("button", name="Approve").click()
    page.get_by_role("region", name="Callback for Approve").wait_for(state="detached")
    page.get_by_test_id("execution-status").filter(has_text="SUCCEEDED").wait_for(timeout=30_000)
    wait_status(page, "Done", "succeeded")
    wait_status(page, "Approve", "succeeded")
    assert Execution.objects.get(name="order-7").output == {"approved": True, "by": "noor"}
    shot(page, "02-approved")

    # another run, rejected: the Catch takes it to the Fail state, which shows the error
    page.goto(f"{live_server.url}/workflows/{workflow.pk}/executions")
    page.get_by_role("button", name="Run…").click()
    dialog = page.get_by_role("dialog", name="Run")
    dialog.get_by_label("Execution name").fill("order-8")
    dialog.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/executions/\d+$"))
    reject = page.get_by_role("region", name="Callback for Approve")
    reject.wait_for(timeout=30_000)
    reject.get_by_label("Cause for Approve").fill("over budget")
    reject.get_by_role("button", name="Reject").click()
    page.get_by_role("region", name="Callback for Approve").wait_for(state="detached")
    page.get_by_test_id("execution-status").filter(has_text="FAILED").wait_for(timeout=30_000)
    wait_status(page, "Approve", "caught")
    wait_status(page, "Denied", "failed")
    state(page, "Denied").click()
    panel = page.get_by_role("complementary", name="State Denied")
    panel.get_by_text("a human said no").wait_for()
    assert panel.get_by_test_id("state-error").inner_text() == "Denied"
    shot(page, "03-rejected")

    # a third, stopped while it waits: the waiting state is aborted
    page.goto(f"{live_server.url}/workflows/{workflow.pk}/executions")
    page.get_by_role("button", name="Run…").click()
    dialog = page.get_by_role("dialog", name="Run")
    dialog.get_by_label("Execution name").fill("order-9")
    dialog.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/executions/\d+$"))
    page.get_by_role("region", name="Callback for Approve").wait_for(timeout=30_000)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Stop").click()
    page.get_by_test_id("execution-status").filter(has_text="ABORTED").wait_for()
    wait_status(page, "Approve", "aborted")
    page.get_by_role("region", name="Callback for Approve").wait_for(state="detached")
    assert Execution.objects.get(name="order-9").status == "ABORTED"

    page.get_by_role("button", name="All executions").click()
    page.locator(".execution-table").get_by_text("order-7").wait_for()
    page.get_by_label("Search executions").fill("order-8")
    page.locator(".execution-table").get_by_text("order-7").wait_for(state="detached")
    assert page.locator(".execution-table tbody tr").count() == 1
    assert "FAILED" in page.locator(".execution-table tbody tr").inner_text()

    # the two side by side
    page.get_by_label("Search executions").fill("")
    page.get_by_label("Compare order-7").check()
    page.get_by_label("Compare order-8").check()
    page.get_by_role("button", name="Compare (2/2)").click()
    page.wait_for_url(re.compile(r"/executions/compare\?a=\d+&b=\d+$"))
    # both histories loaded first: while one pane is still loading, every state differs
    page.locator(".compare-pane").nth(1).locator("[data-testid='run-state-Denied'][data-status='failed']").wait_for()
    page.locator(".compare-pane").nth(0).locator("[data-testid='run-state-Done'][data-status='succeeded']").wait_for()
    table = page.get_by_role("table", name="States compared")
    table.locator("tr.differs", has_text="Denied").wait_for()
    table.locator("tr:not(.differs)", has_text="Prepare").wait_for()
    assert table.locator("tr.differs").all_inner_texts()[0].startswith("Approve")
    shot(page, "04-compare")
    assert page.errors == []


def test_a_5000_event_history_opens_whole(live_server, new_page, shot, worker):
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "lena")
    # laid out, as a version saved from the designer is
    layout = {
        "Init": {"x": 0, "y": 0},
        "Inc": {"x": 0, "y": 100},
        "Loop": {"x": 0, "y": 200},
        "Done": {"x": 0, "y": 300},
    }
    workflow = workflow_of("lena", "Loop", json.dumps(LOOP_5002), layout)
    from executor import services as executor_services

    user = get_user_model().objects.get(username="lena")
    execution = executor_services.start_execution(user=user, workflow=workflow, input={}, name="long")
    worker()
    execution.refresh_from_db()
    count = execution.events.count()
    assert execution.status == "SUCCEEDED" and count > 5000

    page.goto(f"{live_server.url}/executions/{execution.pk}")
    # measured on every frame (Playwright's own waits poll up to 500 ms apart)
    first_ms = page.wait_for_function(
        "() => document.querySelector('.event-table tbody tr') && performance.now()", polling="raf"
    ).json_value()
    ready_ms = page.wait_for_function(
        """(count) => document.querySelector("[data-testid='run-state-Done'][data-status='succeeded']")
            && document.querySelector('.events-head .meta')?.textContent === String(count) && performance.now()""",
        arg=count,
        polling="raf",
    ).json_value()
    shot(page, "01-5000-events")
    # How fast is for make bench (bench/designer.py reads this line), not for an assertion.
    print(f"\n{count} events: first events after {first_ms:.0f} ms, all of them and the graph after {ready_ms:.0f} ms")
    assert "×1249" in page.get_by_test_id("run-state-Inc").inner_text()
    # the table shows the latest 500 and offers the rest
    assert page.locator(".event-table tbody tr").count() == 500
    page.get_by_role("button", name=re.compile(r"Show the \d+ earlier events")).click()
    assert page.locator(".event-table tbody tr").count() == count
    assert page.errors == []


FAN = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Check",
                "States": {
                    "Check": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Boom"}],
                        "Default": "Fine",
                    },
                    "Boom": {"Type": "Fail", "Error": "BadItem", "Cause": "two is not allowed"},
                    "Fine": {"Type": "Pass", "End": True},
                },
            },
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
            "End": True,
        },
        "Recover": {"Type": "Pass", "End": True},
    },
}


def test_a_map_iteration_that_failed_is_found_from_the_map(live_server, new_page, shot, worker):
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "omar")
    workflow = workflow_of("omar", "Fan", json.dumps(FAN))
    from executor import services as executor_services

    user = get_user_model().objects.get(username="omar")
    execution = executor_services.start_execution(user=user, workflow=workflow, input=[0, 1, 2, 3], name="fan")
    worker()
    page.goto(f"{live_server.url}/executions/{execution.pk}")
    wait_status(page, "Fan", "caught")
    wait_status(page, "Boom", "failed")
    wait_status(page, "Recover", "succeeded")
    state(page, "Fan").locator(".container-header").click()
    panel = page.get_by_role("complementary", name="State Fan")
    first = panel.locator(".iteration").first
    assert (first.inner_text(), "run-failed" in first.get_attribute("class")) == ("2", True)
    first.click()
    boom = page.get_by_role("complementary", name="State Boom")
    boom.get_by_text("Iteration 2").wait_for()
    assert boom.get_by_test_id("state-error").first.inner_text() == "BadItem"
    shot(page, "01-failed-iteration")
    assert page.errors == []


CHARGE = {
    "StartAt": "Validate",
    "States": {
        "Validate": {"Type": "Pass", "Parameters": {"amount.$": "$.amount"}, "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
            "Parameters": {"amount.$": "$.amount"},
            "Next": "Ship",
        },
        "Ship": {"Type": "Succeed"},
    },
}


def test_a_failing_run_shows_the_error_on_the_failed_state(live_server, new_page, shot, live_worker):
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "fay")
    workflow = workflow_of("fay", "Checkout", json.dumps(CHARGE, indent=2))

    dialog = open_run_dialog(page, live_server.url, workflow)
    dialog.get_by_label("Test case", exact=True).select_option("")  # the worker's local handler serves Charge
    dialog.get_by_role("button", name="Breakpoint on Charge").wait_for()  # the version's definition is in
    dialog.get_by_label("Execution input").fill('{"amount": 120}')
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(dialog.get_by_label("Execution input")).to_have_text('{"amount": 120}')
    dialog.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/executions/\d+$"))

    page.get_by_test_id("execution-status").filter(has_text="FAILED").wait_for(timeout=30_000)
    wait_status(page, "Validate", "succeeded")
    wait_status(page, "Charge", "failed")
    assert state(page, "Ship").get_attribute("data-status") == "not-run"
    # the execution's error, in the summary
    summary = page.get_by_role("complementary", name="Execution")
    summary.get_by_text("insufficient funds for 120").wait_for()
    # and on the state that failed
    state(page, "Charge").click()
    panel = page.get_by_role("complementary", name="State Charge")
    panel.get_by_text("insufficient funds for 120").wait_for()
    assert panel.get_by_test_id("state-error").first.inner_text() == "Card.Declined"
    assert "Failed" in panel.locator(".run-tag").inner_text()
    shot(page, "01-failed")
    assert page.errors == []


# Iteration 0 runs through, iteration 1 fails (tolerated), iterations 2-4 are held at a gate the test opens.
SLOW_MAP = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ToleratedFailureCount": 1,
            "ItemProcessor": {
                "StartAt": "Work",
                "States": {
                    "Work": {
                        "Type": "Task",
                        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:gated",
                        "End": True,
                    }
                },
            },
            "Next": "Report",
        },
        "Report": {"Type": "Pass", "End": True},
    },
}


def test_a_running_map_shows_its_iterations_as_the_worker_runs_them(live_server, new_page, shot, live_worker, tmp_path):
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "mia")
    workflow = workflow_of("mia", "Slow fan", json.dumps(SLOW_MAP, indent=2))
    from executor import services as executor_services

    (tmp_path / "open").touch()
    gate = tmp_path / "gate"
    items = [
        {"n": 0, "gate": str(tmp_path / "open"), "fail": False},
        {"n": 1, "gate": str(tmp_path / "open"), "fail": True},
        *({"n": n, "gate": str(gate), "fail": False} for n in (2, 3, 4)),
    ]
    user = get_user_model().objects.get(username="mia")
    execution = executor_services.start_execution(user=user, workflow=workflow, input={"items": items}, name="slow")
    page.goto(f"{live_server.url}/executions/{execution.pk}")

    # while the Map runs, its node counts the iterations the worker has finished, failed and is running
    progress = page.get_by_test_id("live-progress-Fan")
    progress.filter(has_text="2 of 5 done, 1 failed, 3 running").wait_for(timeout=30_000)
    wait_status(page, "Fan", "running")
    assert page.get_by_test_id("execution-status").inner_text() == "RUNNING"
    # and its panel lists them live, the failed one first
    state(page, "Fan").locator(".container-header").click()
    panel = page.get_by_role("complementary", name="State Fan")
    live = panel.get_by_label("Live iterations")
    live.locator(".iteration[data-status='running']").nth(2).wait_for()
    assert live.locator(".iteration").all_inner_texts() == ["1", "2", "3", "4", "0"]
    assert live.locator(".iteration").first.get_attribute("data-status") == "failed"
    assert "BadItem" in live.locator(".iteration").first.get_attribute("title")
    assert live.locator(".iteration[data-status='succeeded']").inner_text() == "0"
    assert "MapIterationStarted" not in page.locator(".event-table").inner_text()
    shot(page, "01-map-running")

    gate.touch()  # the held iterations go on
    page.get_by_test_id("execution-status").filter(has_text="SUCCEEDED").wait_for(timeout=30_000)
    wait_status(page, "Report", "succeeded")
    progress.wait_for(state="detached")
    assert "5/5 iterations, 1 failed" in state(page, "Fan").locator(".container-header").inner_text()
    # the iterations' events have joined the history: the failed one says why
    panel.get_by_label("Live iterations").wait_for(state="detached")
    first = panel.locator(".iteration").first
    assert (first.inner_text(), "run-failed" in first.get_attribute("class")) == ("1", True)
    page.get_by_label("Filter events").fill("MapIterationFailed")
    page.locator(".event-table tbody tr").filter(has_text="BadItem").wait_for()
    shot(page, "02-map-done")
    assert page.errors == []


# Each iteration waits in Ask for a human (a callback): the iteration's row says where it is while it waits.
ASKING_MAP = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Map",
            "ItemProcessor": {
                "StartAt": "Ask",
                "States": {
                    "Ask": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                        "Parameters": {
                            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/approvals",
                            "MessageBody.$": "$$.Task.Token",
                        },
                        "Next": "Tally",
                    },
                    "Tally": {"Type": "Pass", "End": True},
                },
            },
            "Next": "Report",
        },
        "Report": {"Type": "Pass", "End": True},
    },
}


def test_the_state_inside_a_running_map_shows_the_iterations_in_it(live_server, new_page, shot, live_worker, request):
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "ines")
    workflow = workflow_of("ines", "Asking fan", json.dumps(ASKING_MAP, indent=2))
    from executor import services as executor_services

    user = get_user_model().objects.get(username="ines")
    execution = executor_services.start_execution(user=user, workflow=workflow, input=[1, 2, 3], name="asking")
    page.goto(f"{live_server.url}/executions/{execution.pk}")

    # none of the iterations' events is in the history yet, but Ask runs: all three iterations are in it
    page.get_by_test_id("live-here-Ask").filter(has_text="3 here").wait_for(timeout=30_000)
    wait_status(page, "Ask", "running")
    wait_status(page, "Tally", "not-run")
    page.locator("[aria-label='Task state Ask: Running (3 here)']").wait_for()  # what a screen reader hears
    assert "MapIterationStarted" not in page.locator(".event-table").inner_text()
    shot(page, "01-three-in-ask")
    page.get_by_test_id("run-graph").screenshot(path=str(ARTIFACTS / f"{request.node.name}--01-graph.png"))

    # one human answers: that iteration goes through Tally and ends, the other two still wait in Ask
    page.get_by_role("region", name="Callback for Ask").first.get_by_role("button", name="Approve").click()
    page.get_by_test_id("live-here-Ask").filter(has_text="2 here").wait_for(timeout=30_000)
    page.get_by_test_id("live-progress-Fan").filter(has_text="1 of 3 done, 0 failed, 2 running").wait_for()
    wait_status(page, "Tally", "not-run")  # the ended iteration's visit joins the history at fan-in
    shot(page, "02-two-in-ask")

    callbacks = page.get_by_role("region", name="Callback for Ask")
    callbacks.nth(2).wait_for(state="detached")
    for left in (1, 0):  # each answered callback leaves the page before the next is clicked
        callbacks.first.get_by_role("button", name="Approve").click()
        callbacks.nth(left).wait_for(state="detached")
    page.get_by_test_id("execution-status").filter(has_text="SUCCEEDED").wait_for(timeout=30_000)
    page.get_by_test_id("live-here-Ask").wait_for(state="detached")
    for name in ("Ask", "Tally", "Report"):
        wait_status(page, name, "succeeded")
    shot(page, "03-done")
    assert page.errors == []


@pytest.mark.aws
def test_deploy_to_aws_and_watch_the_aws_execution(live_server, new_page, shot, moto_endpoint, clean_aws, live_worker):  # noqa: F811
    """Deploy the Lambda example to moto's server from the designer (plan, confirm), then run it there: the
    worker's polling task copies the AWS execution's history, as in production."""
    from designer.aws import services as aws_services
    from tests.aws.test_executions import hello_function

    endpoint = moto_endpoint
    hello_function()
    page = new_page(1400, 900)
    sign_up(page, live_server.url, "dana")
    user = get_user_model().objects.get(username="dana")
    team = Team.objects.get(memberships__user=user, personal=True)
    aws_services.create_connection(
        user=user,
        team=team,
        name="moto",
        region="us-east-1",
        auth_mode="access_key",
        access_key_id=KEY_ID,
        secret_access_key=SECRET,
        endpoint_url=endpoint,
    )
    workflow = workflow_of("dana", "hello flow", LAMBDA)

    page.goto(f"{live_server.url}/workflows/{workflow.pk}")
    page.get_by_role("button", name="Deploy…").click()
    dialog = page.get_by_role("dialog", name="Deploy to AWS")
    dialog.get_by_role("button", name="Plan").click()
    plan = dialog.get_by_role("region", name="Plan")
    plan.get_by_text("Create hello-flow").wait_for()
    shot(page, "01-plan")
    dialog.get_by_role("button", name="Deploy", exact=True).click()
    dialog.get_by_text("Deployment succeeded").wait_for()
    dialog.get_by_role("region", name="Deployments").get_by_text("succeeded").wait_for()
    page.get_by_test_id("drift-badge").filter(has_text="in sync").wait_for()
    shot(page, "02-deployed")
    dialog.get_by_role("button", name="Done").click()

    page.get_by_role("button", name="Run", exact=True).click()
    run = page.get_by_role("dialog", name="Run")
    run.get_by_label("On AWS").check()
    run.get_by_label("Execution input").fill('{"hello": "aws"}')
    run.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/executions/\d+$"))
    page.get_by_test_id("execution-status").filter(has_text="SUCCEEDED").wait_for(timeout=60_000)
    wait_status(page, "InvokeLambda", "succeeded")
    page.get_by_text("On AWS · moto").wait_for()
    assert Execution.objects.get(workflow=workflow).backend == "aws"
    shot(page, "03-aws-execution")
    assert page.errors == []
