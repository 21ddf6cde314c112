"""boto3 against the live server: the Step Functions endpoint with a team access key.

Executions are stepped in-process by the executor's `queue` fixture (drain it, then describe).
"""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config

from designer import services as designer_services
from sfn import services
from tests.integration.conftest import celery_worker_process, start_worker, worker_env  # noqa: F401  (real workers)

REGION = "eu-west-1"
HELLO = {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": {"hello": "world"}, "End": True}}}
ROLE = "arn:aws:iam::123456789012:role/sfn"

pytestmark = pytest.mark.django_db(transaction=True)


def client_with(url: str, access_key_id: str, secret: str):
    return boto3.client(
        "stepfunctions",
        endpoint_url=url + "/aws/stepfunctions/",
        region_name=REGION,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, inject_host_prefix=False),
    )


@pytest.fixture
def key_for(transactional_db):
    def make(user, team):
        return services.create_access_key(user=user, team=team, name=f"{user.username}'s key")

    return make


@pytest.fixture
def sfn_for(live_server, key_for):
    """A Step Functions client signing with a new key of `user` in `team`."""

    clients = []

    def make(user, team):
        key, secret = key_for(user, team)
        clients.append(client_with(live_server.url, key.access_key_id, secret))
        return clients[-1]

    yield make
    for client in clients:  # no kept-alive connection outlives the test's database
        client.close()


@pytest.fixture
def sfn(sfn_for, owner, team):
    return sfn_for(owner, team)


@pytest.fixture
def outsider_team(outsider):
    return designer_services.create_team(user=outsider, name="Elsewhere")
