"""The real AWS CLI (`awscli` from PyPI) against the endpoint, with the key in its environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sfn.conftest import HELLO, REGION, ROLE
from tests.sfn.test_executions import WAITS

AWS = str(Path(sys.executable).with_name("aws"))


@pytest.fixture
def aws(live_server, key_for, owner, team, tmp_path):
    key, secret = key_for(owner, team)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AWS_ACCESS_KEY_ID": key.access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_MAX_ATTEMPTS": "1",
    }

    def run(*args: str, ok: bool = True) -> dict | subprocess.CompletedProcess:
        done = subprocess.run(
            [
                AWS,
                "stepfunctions",
                *args,
                "--endpoint-url",
                live_server.url + "/aws/stepfunctions/",
                "--output",
                "json",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if not ok:
            return done
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    run.env = env
    return run


def test_the_cli_creates_runs_and_reads_a_state_machine(aws, queue, tmp_path, owner, client_for):
    definition = tmp_path / "hello.json"
    definition.write_text(json.dumps(HELLO))
    arn = aws("create-state-machine", "--name", "hello", "--definition", f"file://{definition}", "--role-arn", ROLE)[
        "stateMachineArn"
    ]
    assert [w["name"] for w in client_for(owner).get("/api/workflows/").json()["results"]] == ["hello"]
    assert [m["name"] for m in aws("list-state-machines")["stateMachines"]] == ["hello"]
    execution = aws("start-execution", "--state-machine-arn", arn, "--name", "cli-run", "--input", '{"x": 1}')[
        "executionArn"
    ]
    queue()
    described = aws("describe-execution", "--execution-arn", execution)
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"hello": "world"})
    # The CLI pages through the history on its own, one event per call here.
    events = aws("get-execution-history", "--execution-arn", execution, "--page-size", "1")["events"]
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_the_cli_sees_errors_by_their_codes(aws, tmp_path):
    definition = tmp_path / "hello.json"
    definition.write_text(json.dumps(HELLO))
    aws("create-state-machine", "--name", "hello", "--definition", f"file://{definition}", "--role-arn", ROLE)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**HELLO, "Comment": "changed"}))
    done = aws(
        "create-state-machine", "--name", "hello", "--definition", f"file://{other}", "--role-arn", ROLE, ok=False
    )
    assert done.returncode != 0 and "StateMachineAlreadyExists" in done.stderr


def test_the_cli_answers_a_callback_and_stops(aws, queue, tmp_path):
    definition = tmp_path / "waits.json"
    definition.write_text(json.dumps(WAITS))
    arn = aws("create-state-machine", "--name", "waits", "--definition", f"file://{definition}", "--role-arn", ROLE)[
        "stateMachineArn"
    ]
    answered = aws("start-execution", "--state-machine-arn", arn)["executionArn"]
    stopped = aws("start-execution", "--state-machine-arn", arn)["executionArn"]
    queue()
    events = aws("get-execution-history", "--execution-arn", answered)["events"]
    token = json.loads(events[-1]["taskScheduledEventDetails"]["parameters"])["MessageBody"]
    aws("send-task-success", "--task-token", token, "--task-output", '{"ok": true}')
    aws("stop-execution", "--execution-arn", stopped, "--error", "Halt")
    queue()
    assert aws("describe-execution", "--execution-arn", answered)["status"] == "SUCCEEDED"
    assert aws("describe-execution", "--execution-arn", stopped)["status"] == "ABORTED"


def test_the_cli_with_a_wrong_secret_is_refused(aws):
    aws.env["AWS_SECRET_ACCESS_KEY"] = "wrong-secret"
    done = aws("list-state-machines", ok=False)
    assert done.returncode != 0 and "InvalidSignatureException" in done.stderr
