import pytest

from triggers.models import Schedule

BODY = {"name": "nightly", "expression": "cron(0 2 * * ? *)", "timezone": "Europe/Paris", "input": {"full": True}}


def url(workflow, pk=None) -> str:
    return f"/api/workflows/{workflow.pk}/schedules/" + (f"{pk}/" if pk else "")


@pytest.fixture
def schedule(owner, flow, clock):
    from triggers import services

    return services.create_schedule(user=owner, workflow=flow(), **BODY)


def test_it_works(client_for, owner, flow, clock):
    workflow = flow()
    response = client_for(owner).post(url(workflow), BODY, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["expression"] == "cron(0 2 * * ? *)"
    assert body["enabled"] is True
    assert body["next_times"] == [
        "2026-01-06T02:00:00+01:00",
        "2026-01-07T02:00:00+01:00",
        "2026-01-08T02:00:00+01:00",
        "2026-01-09T02:00:00+01:00",
        "2026-01-10T02:00:00+01:00",
    ]
    listed = client_for(owner).get(url(workflow)).json()
    assert [s["name"] for s in listed] == ["nightly"]


def test_an_editor_manages_schedules(client_for, editor, schedule):
    client = client_for(editor)
    changed = client.patch(url(schedule.workflow, schedule.pk), {"enabled": False}, format="json")
    assert changed.status_code == 200
    assert changed.json()["next_times"] == []
    assert changed.json()["next_due_at"] is None
    assert (
        client.patch(url(schedule.workflow, schedule.pk), {"expression": "rate(2 hours)"}, format="json").json()[
            "expression"
        ]
        == "rate(2 hours)"
    )
    assert client.delete(url(schedule.workflow, schedule.pk)).status_code == 204
    assert not Schedule.objects.exists()


def test_a_viewer_reads_but_does_not_change(client_for, viewer, schedule):
    client = client_for(viewer)
    assert client.get(url(schedule.workflow, schedule.pk)).json()["name"] == "nightly"
    response = client.patch(url(schedule.workflow, schedule.pk), {"enabled": False}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert client.post(url(schedule.workflow), {**BODY, "name": "other"}, format="json").status_code == 403
    assert client.delete(url(schedule.workflow, schedule.pk)).status_code == 403


def test_it_validates_ownership(client_for, outsider, schedule):
    client = client_for(outsider)
    assert client.get(url(schedule.workflow)).status_code == 404
    assert client.get(url(schedule.workflow, schedule.pk)).status_code == 404
    assert client.post(url(schedule.workflow), BODY, format="json").status_code == 404
    assert client.delete(url(schedule.workflow, schedule.pk)).status_code == 404


def test_anonymous_callers_are_refused(client_for, schedule):
    assert client_for().get(url(schedule.workflow)).status_code in (401, 403)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"expression": "every day"}, "/expression"),
        ({"expression": "cron(0 2 * * * *)"}, "/expression"),
        ({"timezone": "Nowhere/Land"}, "/timezone"),
        ({"colour": "red"}, "/colour"),
    ],
)
def test_it_validates_the_schedule(client_for, owner, flow, clock, change, field):
    response = client_for(owner).post(url(flow()), {**BODY, **change}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in (error["details"].get("field"), *error["details"].get("fields", {}))


def test_names_are_unique_per_workflow(client_for, owner, schedule):
    response = client_for(owner).post(url(schedule.workflow), BODY, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "name_taken"
