"""`python -m asl validate` prints file:line:col: SEVERITY CODE message (pointer) and exits 1 on an error."""

from __future__ import annotations

import io
import json

from asl.validation.cli import main


def test_it_prints_errors_with_positions_and_exits_1(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "StartAt": "A",\n  "States": {"A": {"Type": "Pass", "Next": "B"}}\n}')
    out = io.StringIO()
    assert main([str(path)], stdout=out) == 1
    (line,) = [line for line in out.getvalue().splitlines() if "MISSING_TRANSITION_TARGET" in line]
    assert line.startswith(f"{path}:3:36: ERROR MISSING_TRANSITION_TARGET ")
    assert line.endswith("(/States/A/Next)")


def test_it_exits_0_on_a_clean_file(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text("StartAt: A\nStates:\n  A:\n    Type: Succeed\n")
    out = io.StringIO()
    assert main([str(path)], stdout=out) == 0
    assert out.getvalue() == ""


def test_json_format_and_express_type(tmp_path):
    path = tmp_path / "express.json"
    definition = {
        "StartAt": "A",
        "States": {
            "A": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "TimeoutSeconds": 5,
                "End": True,
            }
        },
    }
    path.write_text(json.dumps(definition))
    out = io.StringIO()
    assert main([str(path), "--format", "json", "--type", "express"], stdout=out) == 1
    codes = [d["code"] for d in json.loads(out.getvalue())[str(path)]]
    assert "EXPRESS_UNSUPPORTED" in codes


def test_placeholders_are_accepted_on_request(tmp_path):
    path = tmp_path / "template.json"
    definition = {
        "StartAt": "A",
        "States": {"A": {"Type": "Task", "Resource": "${FnArn}", "TimeoutSeconds": 5, "End": True}},
    }
    path.write_text(json.dumps(definition))
    assert main([str(path)], stdout=io.StringIO()) == 1
    assert main([str(path), "--allow-placeholders"], stdout=io.StringIO()) == 0


def test_an_unreadable_file_fails(tmp_path):
    assert main([str(tmp_path / "missing.json")], stdout=io.StringIO()) == 1
