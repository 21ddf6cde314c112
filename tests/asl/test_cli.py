import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asl", *args], capture_output=True, text=True, cwd=ROOT)


def test_run_prints_the_result_and_exits_0(tmp_path):
    definition = tmp_path / "d.yaml"
    definition.write_text("StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n")
    out = run("run", str(definition), "--input", '{"a": 1}')
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["output"] == {"a": 1}


def test_run_with_mocks_and_a_failure_exits_1(tmp_path):
    definition = tmp_path / "d.json"
    definition.write_text(
        json.dumps(
            {
                "StartAt": "T",
                "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}},
            }
        )
    )
    mocks = tmp_path / "m.json"
    mocks.write_text(json.dumps({"T": [{"error": "Boom", "cause": "no"}]}))
    out = run("run", str(definition), "--mocks", str(mocks))
    assert out.returncode == 1
    assert json.loads(out.stdout)["error"] == "Boom"


def test_run_with_a_mock_config_test_case(tmp_path):
    definition = tmp_path / "d.json"
    definition.write_text(
        json.dumps(
            {
                "StartAt": "T",
                "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}},
            }
        )
    )
    config = tmp_path / "c.json"
    config.write_text(
        json.dumps(
            {"StateMachines": {"M": {"TestCases": {"Ok": {"T": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 7}}}}
        )
    )
    out = run("run", str(definition), "--mock-config", str(config), "--test-case", "Ok")
    assert json.loads(out.stdout)["output"] == 7


def test_an_invalid_definition_prints_diagnostics(tmp_path):
    definition = tmp_path / "d.json"
    definition.write_text("{}")
    out = run("run", str(definition))
    assert out.returncode == 2
    assert json.loads(out.stdout)["status"] == "INVALID_DEFINITION"
