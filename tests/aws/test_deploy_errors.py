"""Deploy paths moto cannot show, through botocore's Stubber: AWS's own error codes, races, retries."""

import datetime
import json

import pytest

from designer.aws.models import Deployment
from tests.aws.conftest import ACCOUNT, ROLE_ARN, definition, save_version

pytestmark = pytest.mark.aws

ARN = f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:orders"
NOW = datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC)
V1 = definition(A={"Type": "Pass", "End": True})


@pytest.fixture
def version(owner, workflow):
    return save_version(owner, workflow, V1)


def identity(stub):
    stub.add_response(
        "get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/deployer", "UserId": "AIDA"}
    )


def missing(stub):
    stub.add_client_error(
        "describe_state_machine",
        service_error_code="StateMachineDoesNotExist",
        service_message=f"State Machine Does Not Exist: '{ARN}'",
        http_status_code=400,
    )


def described(stub, text=V1, role=ROLE_ARN):
    stub.add_response(
        "describe_state_machine",
        {
            "stateMachineArn": ARN,
            "name": "orders",
            "definition": text,
            "roleArn": role,
            "type": "STANDARD",
            "creationDate": NOW,
        },
    )


def post(client, workflow, connection, **extra):
    body = {"connection": connection.pk, "role_arn": ROLE_ARN, **extra}
    return client.post(f"/api/workflows/{workflow.pk}/deploy/", body, format="json")


def test_a_create_race_falls_back_to_update(client_for, owner, workflow, connection, version, stubbed):
    stubs = stubbed("sts", "stepfunctions")
    identity(stubs["sts"])
    sfn = stubs["stepfunctions"]
    missing(sfn)
    sfn.add_client_error(
        "create_state_machine",
        service_error_code="StateMachineAlreadyExists",
        service_message="State Machine Already Exists: 'orders'",
    )
    sfn.add_response("update_state_machine", {"updateDate": NOW, "stateMachineVersionArn": ARN + ":4"})
    described(sfn)
    response = post(client_for(owner), workflow, connection)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["action"], body["outcome"]) == ("update", "succeeded")
    assert body["state_machine_version_arn"] == ARN + ":4"
    assert [s["step"] for s in body["steps"]] == ["create_state_machine", "update_state_machine", "verify"]
    sfn.assert_no_pending_responses()


def test_an_invalid_definition_shows_aws_message(client_for, owner, workflow, connection, version, stubbed):
    stubs = stubbed("sts", "stepfunctions")
    identity(stubs["sts"])
    missing(stubs["stepfunctions"])
    message = "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'X' must be ...'"
    stubs["stepfunctions"].add_client_error(
        "create_state_machine", service_error_code="InvalidDefinition", service_message=message
    )
    response = post(client_for(owner), workflow, connection)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "aws_invalid_definition"
    assert error["message"] == f"AWS rejected the definition. AWS said: {message}"
    assert error["details"]["aws_code"] == "InvalidDefinition"
    deployment = Deployment.objects.get(pk=error["details"]["deployment"])
    assert (deployment.outcome, deployment.error_code) == ("failed", "aws_invalid_definition")
    assert deployment.aws_error["aws_message"] == message
    assert deployment.finished_at is not None


def test_access_denied_is_said_plainly(client_for, owner, workflow, connection, version, stubbed):
    stubs = stubbed("sts", "stepfunctions")
    identity(stubs["sts"])
    stubs["stepfunctions"].add_client_error(
        "describe_state_machine",
        service_error_code="AccessDeniedException",
        service_message=f"User: arn:aws:iam::{ACCOUNT}:user/deployer is not authorized to perform: "
        "states:DescribeStateMachine",
    )
    response = post(client_for(owner), workflow, connection)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "aws_access_denied"
    assert "may not describe state machine" in error["message"]
    assert "states:DescribeStateMachine" in error["message"]


def test_a_fresh_role_is_retried_through_iam_propagation(
    client_for, owner, workflow, connection, version, stubbed, slept
):
    stubs = stubbed("sts", "stepfunctions", "iam")
    identity(stubs["sts"])
    sfn, iam = stubs["stepfunctions"], stubs["iam"]
    missing(sfn)
    iam.add_client_error("get_role", service_error_code="NoSuchEntity", http_status_code=404)
    role = f"arn:aws:iam::{ACCOUNT}:role/stepwright-orders"
    iam.add_response(
        "create_role",
        {
            "Role": {
                "Path": "/",
                "RoleName": "stepwright-orders",
                "RoleId": "AROA1234567890EXAMPLE",
                "Arn": role,
                "CreateDate": NOW,
            }
        },
    )
    iam.add_client_error("get_role_policy", service_error_code="NoSuchEntity", http_status_code=404)
    not_yet = "Neither the global service principal states.amazonaws.com, nor the regional one is authorized to assume the provided role."
    sfn.add_client_error("create_state_machine", service_error_code="AccessDeniedException", service_message=not_yet)
    sfn.add_client_error("create_state_machine", service_error_code="AccessDeniedException", service_message=not_yet)
    sfn.add_response(
        "create_state_machine", {"stateMachineArn": ARN, "creationDate": NOW, "stateMachineVersionArn": ARN + ":1"}
    )
    described(sfn, role=role)
    response = post(client_for(owner), workflow, connection, role_arn="", create_role=True)
    assert response.status_code == 201, response.json()
    steps = [s["step"] for s in response.json()["steps"]]
    assert steps == ["create_role", "wait_for_iam", "wait_for_iam", "create_state_machine", "verify"]
    assert slept == [2, 3]
    sfn.assert_no_pending_responses()


def test_a_role_that_never_propagates_fails_saying_what_was_done(
    client_for, owner, workflow, connection, version, stubbed, slept
):
    stubs = stubbed("sts", "stepfunctions", "iam")
    identity(stubs["sts"])
    sfn, iam = stubs["stepfunctions"], stubs["iam"]
    missing(sfn)
    iam.add_response(
        "get_role",
        {
            "Role": {
                "Path": "/",
                "RoleName": "stepwright-orders",
                "RoleId": "AROA1234567890EXAMPLE",
                "Arn": f"arn:aws:iam::{ACCOUNT}:role/stepwright-orders",
                "CreateDate": NOW,
                "AssumeRolePolicyDocument": "%7B%7D",
                "Tags": [{"Key": "managed-by", "Value": "stepwright"}],
            }
        },
    )
    iam.add_response("update_assume_role_policy", {})
    iam.add_client_error("get_role_policy", service_error_code="NoSuchEntity", http_status_code=404)
    for _ in range(6):
        sfn.add_client_error(
            "create_state_machine", service_error_code="AccessDeniedException", service_message="cannot assume role"
        )
    response = post(client_for(owner), workflow, connection, role_arn="", create_role=True)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["details"]["done_on_aws"] == ["update_trust_policy"]
    assert error["message"].endswith("Already done on AWS before the failure: update_trust_policy.")
    assert len(slept) == 5


def test_throttling_is_retried_with_back_off(client_for, owner, workflow, connection, version, stubbed, slept):
    stubs = stubbed("sts", "stepfunctions")
    identity(stubs["sts"])
    sfn = stubs["stepfunctions"]
    for _ in range(2):
        sfn.add_client_error(
            "describe_state_machine", service_error_code="ThrottlingException", service_message="Rate exceeded"
        )
    described(sfn)
    response = post(client_for(owner), workflow, connection)
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "already_deployed"
    assert len(slept) == 2 and slept[1] > slept[0] / 2 and all(0 < s <= 8 for s in slept)


def test_throttling_that_does_not_end_is_said_plainly(client_for, owner, workflow, connection, version, stubbed, slept):
    stubs = stubbed("sts")
    for _ in range(5):
        stubs["sts"].add_client_error(
            "get_caller_identity",
            service_error_code="Throttling",
            service_message="Rate exceeded",
            http_status_code=400,
        )
    response = post(client_for(owner), workflow, connection)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "aws_throttled"
    assert len(slept) == 4


def test_a_definition_aws_stored_differently_fails_the_verify(
    client_for, owner, workflow, connection, version, stubbed
):
    stubs = stubbed("sts", "stepfunctions")
    identity(stubs["sts"])
    sfn = stubs["stepfunctions"]
    missing(sfn)
    sfn.add_response("create_state_machine", {"stateMachineArn": ARN, "creationDate": NOW})
    described(sfn, text=json.dumps({"StartAt": "Old", "States": {"Old": {"Type": "Succeed"}}}))
    response = post(client_for(owner), workflow, connection)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "verify_failed"
    assert response.json()["error"]["details"]["done_on_aws"] == ["create_state_machine"]


def test_the_state_machine_deleted_meanwhile_is_said_plainly(client_for, owner, workflow, connection, version, stubbed):
    stubs = stubbed("sts", "stepfunctions")
    identity(stubs["sts"])
    sfn = stubs["stepfunctions"]
    described(sfn, text=json.dumps({"StartAt": "Old", "States": {"Old": {"Type": "Succeed"}}}))
    sfn.add_client_error("update_state_machine", service_error_code="StateMachineDoesNotExist", service_message="gone")
    response = post(client_for(owner), workflow, connection)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "aws_state_machine_missing"
