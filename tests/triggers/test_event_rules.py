"""A finished execution starts the workflows that listen to it, with its output or its error as input."""

import pytest

from executor import services as executor_services
from executor.models import Execution
from tests.triggers.conftest import FAIL
from triggers import services, tasks
from triggers.models import EventFiring

DOUBLE = {"StartAt": "Double", "States": {"Double": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "End": True}}}


def url(workflow, pk=None) -> str:
    return f"/api/workflows/{workflow.pk}/event-rules/" + (f"{pk}/" if pk else "")


@pytest.fixture
def in_process(monkeypatch):
    """The hook's Celery task, run at once in this process."""
    monkeypatch.setattr(tasks.fire_event_rules, "delay", lambda pk: services.fire_event_rules(pk))


def run(owner, workflow, queue, django_capture_on_commit_callbacks, input=None) -> Execution:
    with django_capture_on_commit_callbacks(execute=True):
        execution = executor_services.start_execution(user=owner, workflow=workflow, input=input or {})
        queue()
    execution.refresh_from_db()
    return execution


def test_a_failed_execution_starts_its_follow_up_with_the_error_as_input(
    owner, flow, queue, in_process, django_capture_on_commit_callbacks
):
    source, follow_up = flow("ingest", FAIL), flow("alert")
    services.create_event_rule(user=owner, workflow=follow_up, source=source, statuses=["FAILED", "TIMED_OUT"])

    failed = run(owner, source, queue, django_capture_on_commit_callbacks)

    assert failed.status == "FAILED"
    started = Execution.objects.get(workflow=follow_up)
    assert started.input == {"Error": "Boom.Error", "Cause": "it broke"}
    assert started.started_by is None
    firing = EventFiring.objects.get()
    assert (firing.source_execution, firing.execution) == (failed, started)


def test_a_succeeded_execution_passes_its_output(owner, flow, queue, in_process, django_capture_on_commit_callbacks):
    source, follow_up = flow("ingest", DOUBLE), flow("publish")
    services.create_event_rule(user=owner, workflow=follow_up, source=source, statuses=["SUCCEEDED"])

    run(owner, source, queue, django_capture_on_commit_callbacks, input={"n": 4, "extra": 1})

    assert Execution.objects.get(workflow=follow_up).input == {"n": 4}


def test_rules_added_or_disabled_between_two_endings_count_at_the_second(
    owner, flow, queue, in_process, django_capture_on_commit_callbacks
):
    # The hook keeps the workflows with rules in a per-process set: changing a rule must not wait for it.
    source, follow_up = flow("ingest", FAIL), flow("alert")
    run(owner, source, queue, django_capture_on_commit_callbacks)  # no rule yet: the set is read, empty
    rule = services.create_event_rule(user=owner, workflow=follow_up, source=source, statuses=["FAILED"])

    run(owner, source, queue, django_capture_on_commit_callbacks)
    assert Execution.objects.filter(workflow=follow_up).count() == 1

    services.update_event_rule(user=owner, rule=rule, enabled=False)
    run(owner, source, queue, django_capture_on_commit_callbacks)
    assert Execution.objects.filter(workflow=follow_up).count() == 1


def test_an_ending_the_rule_does_not_list_starts_nothing(
    owner, flow, queue, in_process, django_capture_on_commit_callbacks
):
    source, follow_up = flow("ingest", FAIL), flow("publish")
    services.create_event_rule(user=owner, workflow=follow_up, source=source, statuses=["SUCCEEDED"])

    run(owner, source, queue, django_capture_on_commit_callbacks)

    assert not Execution.objects.filter(workflow=follow_up).exists()


def test_each_rule_fires_once_per_execution_and_the_sweeper_catches_a_lost_hook(
    owner, flow, queue, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks.fire_event_rules, "delay", lambda pk: None)  # the hook's message is lost
    source, follow_up = flow("ingest", FAIL), flow("alert")
    services.create_event_rule(user=owner, workflow=follow_up, source=source, statuses=["FAILED"])
    failed = run(owner, source, queue, django_capture_on_commit_callbacks)
    assert not Execution.objects.filter(workflow=follow_up).exists()

    assert services.sweep_event_rules(now=failed.stopped_at + services.EVENT_SWEEP_WINDOW / 2) == 1
    assert services.fire_event_rules(failed.pk) == 0
    assert services.sweep_event_rules(now=failed.stopped_at + services.EVENT_SWEEP_WINDOW / 2) == 0
    assert Execution.objects.filter(workflow=follow_up).count() == 1


def test_a_loop_of_rules_stops(owner, flow, queue, in_process, django_capture_on_commit_callbacks):
    ping = flow("ping")
    services.create_event_rule(user=owner, workflow=ping, source=ping, statuses=["SUCCEEDED"])

    with django_capture_on_commit_callbacks(execute=True):
        executor_services.start_execution(user=owner, workflow=ping, input={})
    for _ in range(services.MAX_CHAIN_DEPTH + 3):
        with django_capture_on_commit_callbacks(execute=True):
            queue()

    assert Execution.objects.filter(workflow=ping).count() == services.MAX_CHAIN_DEPTH + 1
    assert "loop" in EventFiring.objects.order_by("-depth").first().message


def test_a_follow_up_without_a_version_is_recorded(owner, flow, workflow, queue, django_capture_on_commit_callbacks):
    source = flow("ingest", FAIL)
    services.create_event_rule(user=owner, workflow=workflow, source=source, statuses=["FAILED"])
    failed = run(owner, source, queue, django_capture_on_commit_callbacks)

    assert services.fire_event_rules(failed.pk) == 0
    assert "Save a version" in EventFiring.objects.get().message


# --- the API -----------------------------------------------------------------------------------------


def test_it_works(client_for, owner, flow):
    source, follow_up = flow("ingest"), flow("alert")
    client = client_for(owner)
    response = client.post(url(follow_up), {"source": source.pk, "statuses": ["FAILED"]}, format="json")

    assert response.status_code == 201, response.json()
    rule = response.json()
    assert (rule["source"], rule["source_name"], rule["statuses"]) == (source.pk, "ingest", ["FAILED"])
    assert [r["id"] for r in client.get(url(follow_up)).json()] == [rule["id"]]
    changed = client.patch(url(follow_up, rule["id"]), {"statuses": ["TIMED_OUT", "FAILED"]}, format="json")
    assert changed.json()["statuses"] == ["FAILED", "TIMED_OUT"]
    assert client.delete(url(follow_up, rule["id"])).status_code == 204


def test_it_validates_statuses_and_duplicates(client_for, owner, flow):
    source, follow_up = flow("ingest"), flow("alert")
    client = client_for(owner)
    bad = client.post(url(follow_up), {"source": source.pk, "statuses": ["ABORTED"]}, format="json")
    assert bad.status_code == 400
    assert client.post(url(follow_up), {"source": source.pk, "statuses": ["FAILED"]}, format="json").status_code == 201
    again = client.post(url(follow_up), {"source": source.pk, "statuses": ["SUCCEEDED"]}, format="json")
    assert again.status_code == 409


def test_an_editor_manages_rules_a_viewer_reads_them(client_for, editor, viewer, flow):
    source, follow_up = flow("ingest"), flow("alert")
    created = client_for(editor).post(url(follow_up), {"source": source.pk, "statuses": ["FAILED"]}, format="json")
    assert created.status_code == 201
    client = client_for(viewer)
    assert client.get(url(follow_up, created.json()["id"])).status_code == 200
    assert client.post(url(follow_up), {"source": source.pk, "statuses": ["FAILED"]}, format="json").status_code == 403
    assert client.delete(url(follow_up, created.json()["id"])).status_code == 403


def test_it_validates_ownership(client_for, owner, outsider, flow, make_user):
    from designer import services as designer_services

    source, follow_up = flow("ingest"), flow("alert")
    rule = services.create_event_rule(user=owner, workflow=follow_up, source=source, statuses=["FAILED"])
    client = client_for(outsider)
    assert client.get(url(follow_up)).status_code == 404
    assert client.get(url(follow_up, rule.pk)).status_code == 404
    assert client.delete(url(follow_up, rule.pk)).status_code == 404
    # Nor can an outsider point their own workflow at ours to receive its results.
    own_team = designer_services.create_team(user=outsider, name="Elsewhere")
    theirs = designer_services.create_workflow(user=outsider, team=own_team, name="sink")
    response = client.post(url(theirs), {"source": source.pk, "statuses": ["SUCCEEDED"]}, format="json")
    assert response.status_code == 404


def test_the_hook_enqueues_only_for_top_level_endings_with_rules(owner, flow, monkeypatch):
    from triggers.events import on_execution_finished

    sent: list[int] = []
    monkeypatch.setattr(tasks.fire_event_rules, "delay", sent.append)
    source, follow_up = flow("ingest"), flow("alert")
    lonely = flow("lonely")
    services.create_event_rule(user=owner, workflow=follow_up, source=source, statuses=["FAILED"])

    on_execution_finished(Execution(pk=1, workflow=source, status="FAILED"))
    on_execution_finished(Execution(pk=2, workflow=source, status="ABORTED"))
    on_execution_finished(Execution(pk=3, workflow=source, status="FAILED", parent_id=1))  # a Map iteration
    on_execution_finished(Execution(pk=4, workflow=lonely, status="FAILED"))  # no rule listens

    assert sent == [1]
