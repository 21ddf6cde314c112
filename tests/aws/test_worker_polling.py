"""A real Celery worker copies an AWS execution's history (PostgreSQL, Redis and moto's server)."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings

from designer.aws import services as aws_services
from executor.models import Execution
from tests.aws.conftest import ROLE_ARN, definition, save_version
from tests.integration.conftest import ROOT, database_url, require_real_services, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.aws]


@pytest.fixture
def aws_worker(transactional_db, tmp_path):
    """One `celery worker` process on the test database; it inherits AWS_ENDPOINT_URL (moto) from aws_env."""
    require_real_services()
    env = dict(os.environ, DATABASE_URL=database_url(), CELERY_BROKER_URL=settings.CELERY_BROKER_URL)
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO", "--concurrency", "1"]
    command += ["--without-gossip", "--without-mingle", "--hostname", f"aws-{os.getpid()}@%h"]
    with (tmp_path / "worker.log").open("w") as log:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield worker
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            from config.celery import app

            app.control.purge()


def test_a_worker_polls_until_the_execution_ends(aws_worker, client_for, owner, runner, workflow, connection):
    save_version(owner, workflow, definition(A={"Type": "Pass", "Next": "B"}, B={"Type": "Succeed"}))
    aws_services.deploy(
        user=owner, workflow=workflow, connection=connection, options=aws_services.DeployOptions(role_arn=ROLE_ARN)
    )
    response = client_for(runner).post(
        f"/api/workflows/{workflow.pk}/executions/", {"backend": "aws", "name": "polled"}, format="json"
    )
    assert response.status_code == 201, response.json()
    execution_id = response.json()["id"]

    def ended():
        execution = Execution.objects.get(pk=execution_id)
        return execution.status == "SUCCEEDED" and execution.events.filter(type="ExecutionSucceeded").exists()

    # Nobody reads the history API here: only the worker's polling task can copy it.
    assert wait_for(ended, timeout=60), "the worker never copied the finished execution"
    execution = Execution.objects.get(pk=execution_id)
    assert list(execution.events.values_list("type", flat=True))[:2] == ["ExecutionStarted", "PassStateEntered"]
