"""CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine, DeleteStateMachine and
ValidateStateMachineDefinition with boto3; every machine is a workflow of the key's team."""

import json

import pytest
from botocore.exceptions import ClientError

from designer import services as designer_services
from tests.sfn.conftest import HELLO, REGION, ROLE

BYE = {"StartAt": "Bye", "States": {"Bye": {"Type": "Pass", "Result": "bye", "End": True}}}
BROKEN = {"StartAt": "Nowhere", "States": {"Hi": {"Type": "Pass", "Next": "Missing"}}}


def code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


def test_it_creates_a_workflow_of_the_team_with_version_1(sfn, owner, team, client_for):
    created = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)
    account = f"{team.pk:012d}"
    assert created["stateMachineArn"] == f"arn:aws:states:{REGION}:{account}:stateMachine:hello"
    workflows = client_for(owner).get(f"/api/workflows/?team={team.pk}").json()["results"]
    assert [w["name"] for w in workflows] == ["hello"]
    versions = client_for(owner).get(f"/api/workflows/{workflows[0]['id']}/versions/").json()
    versions = versions["results"] if isinstance(versions, dict) else versions
    assert [v["number"] for v in versions] == [1]


def test_it_describes_and_lists(sfn):
    arn = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE, type="EXPRESS")[
        "stateMachineArn"
    ]
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert (described["name"], described["type"], described["roleArn"], described["status"]) == (
        "hello", "EXPRESS", ROLE, "ACTIVE",
    )  # fmt: skip
    assert json.loads(described["definition"]) == HELLO
    sfn.create_state_machine(name="bye", definition=json.dumps(BYE), roleArn=ROLE)
    listed = sfn.list_state_machines()["stateMachines"]
    assert [(m["name"], m["type"]) for m in listed] == [("hello", "EXPRESS"), ("bye", "STANDARD")]
    first = sfn.list_state_machines(maxResults=1)
    assert [m["name"] for m in first["stateMachines"]] == ["hello"]
    second = sfn.list_state_machines(maxResults=1, nextToken=first["nextToken"])
    assert [m["name"] for m in second["stateMachines"]] == ["bye"] and "nextToken" not in second


def test_a_paginator_pages_through_the_machines(sfn):
    for n in range(5):
        sfn.create_state_machine(name=f"m{n}", definition=json.dumps(HELLO), roleArn=ROLE)
    pages = sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 2})
    assert [m["name"] for page in pages for m in page["stateMachines"]] == ["m0", "m1", "m2", "m3", "m4"]


def test_a_workflow_made_in_the_designer_is_a_state_machine_too(sfn, owner, team):
    workflow = designer_services.create_workflow(user=owner, team=team, name="designed", definition=json.dumps(BYE))
    listed = sfn.list_state_machines()["stateMachines"]
    assert [m["name"] for m in listed] == ["designed"]
    described = sfn.describe_state_machine(stateMachineArn=listed[0]["stateMachineArn"])
    assert json.loads(described["definition"]) == BYE and described["type"] == "STANDARD"
    assert workflow.pk


def test_create_is_idempotent_but_a_different_definition_already_exists(sfn):
    first = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)
    again = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)
    assert again["stateMachineArn"] == first["stateMachineArn"]
    with pytest.raises(ClientError) as error:
        sfn.create_state_machine(name="hello", definition=json.dumps(BYE), roleArn=ROLE)
    assert code(error) == "StateMachineAlreadyExists"
    with pytest.raises(sfn.exceptions.StateMachineAlreadyExists):
        sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE + "-other")


def test_an_invalid_definition_is_refused_with_its_diagnostics(sfn, client_for, owner):
    with pytest.raises(sfn.exceptions.InvalidDefinition) as error:
        sfn.create_state_machine(name="broken", definition=json.dumps(BROKEN), roleArn=ROLE)
    message = error.value.response["Error"]["Message"]
    assert message.startswith("Invalid State Machine Definition: ")
    assert "/States/Hi/Next" in message
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.create_state_machine(name="broken", definition="{not json", roleArn=ROLE)
    assert client_for(owner).get("/api/workflows/").json()["count"] == 0


def test_names_are_checked(sfn):
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.create_state_machine(name="has space", definition=json.dumps(HELLO), roleArn=ROLE)


def test_update_saves_a_new_version(sfn, owner, client_for):
    arn = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)["stateMachineArn"]
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(BYE), publish=True)
    assert updated["stateMachineVersionArn"] == arn + ":2"
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == BYE
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn + ":1")["definition"]) == HELLO
    workflow = client_for(owner).get("/api/workflows/").json()["results"][0]
    draft = client_for(owner).get(f"/api/workflows/{workflow['id']}/draft/")
    assert json.loads(draft.json()["draft"]["definition"]) == BYE
    with pytest.raises(sfn.exceptions.InvalidDefinition):
        sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(BROKEN))
    with pytest.raises(ClientError) as error:
        sfn.update_state_machine(stateMachineArn=arn)
    assert code(error) == "MissingRequiredParameter"
    sfn.update_state_machine(stateMachineArn=arn, roleArn=ROLE + "2")
    assert sfn.describe_state_machine(stateMachineArn=arn)["roleArn"] == ROLE + "2"


def test_delete_puts_the_workflow_in_the_bin(sfn, owner, client_for):
    arn = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)["stateMachineArn"]
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arn)
    assert [w["name"] for w in client_for(owner).get("/api/workflows/deleted/").json()["results"]] == ["hello"]
    sfn.delete_state_machine(stateMachineArn=arn)  # gone already: still fine, as on AWS
    sfn.create_state_machine(name="hello", definition=json.dumps(BYE), roleArn=ROLE)


def test_missing_and_malformed_arns(sfn, team):
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=f"arn:aws:states:{REGION}:{team.pk:012d}:stateMachine:nope")
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.describe_state_machine(stateMachineArn="arn:aws:s3:::bucket-name")


def test_validate_state_machine_definition(sfn):
    ok = sfn.validate_state_machine_definition(definition=json.dumps(HELLO))
    assert (ok["result"], ok["diagnostics"]) == ("OK", [])
    failed = sfn.validate_state_machine_definition(definition=json.dumps(BROKEN))
    assert failed["result"] == "FAIL"
    assert {d["severity"] for d in failed["diagnostics"]} == {"ERROR"}
    assert any(d["location"] == "/States/Hi/Next" for d in failed["diagnostics"])


def test_a_viewer_reads_but_cannot_create(sfn, sfn_for, member, team):
    sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)
    viewer = sfn_for(member("viewer"), team)
    assert [m["name"] for m in viewer.list_state_machines()["stateMachines"]] == ["hello"]
    with pytest.raises(ClientError) as error:
        viewer.create_state_machine(name="mine", definition=json.dumps(HELLO), roleArn=ROLE)
    assert code(error) == "AccessDeniedException"


def test_an_outsiders_key_sees_nothing_of_the_team(sfn, sfn_for, outsider, outsider_team):
    arn = sfn.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)["stateMachineArn"]
    theirs = sfn_for(outsider, outsider_team)
    assert theirs.list_state_machines()["stateMachines"] == []
    with pytest.raises(theirs.exceptions.StateMachineDoesNotExist):
        theirs.describe_state_machine(stateMachineArn=arn)
    with pytest.raises(theirs.exceptions.StateMachineDoesNotExist):
        theirs.start_execution(stateMachineArn=arn)
    with pytest.raises(theirs.exceptions.StateMachineDoesNotExist):
        theirs.update_state_machine(stateMachineArn=arn, definition=json.dumps(HELLO))
    theirs.delete_state_machine(stateMachineArn=arn)  # a no-op: it is not theirs to see
    assert sfn.describe_state_machine(stateMachineArn=arn)["name"] == "hello"
    # Their own machine of the same name lives in their own account.
    mine = theirs.create_state_machine(name="hello", definition=json.dumps(HELLO), roleArn=ROLE)
    assert mine["stateMachineArn"] != arn
