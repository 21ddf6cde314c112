import pytest
from django.core.management import CommandError, call_command

from executor.models import Execution

HELLO = {"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "End": True}}}


def test_it_starts_an_execution_by_name_with_input(versioned, queue, tmp_path):
    versioned(HELLO, name="hello")
    path = tmp_path / "input.json"
    path.write_text('{"who": "cli"}')
    call_command("run_workflow", "hello", "--input", str(path), "--name", "from-cli")
    queue()
    execution = Execution.objects.get(name="from-cli")
    assert (execution.status, execution.output) == ("SUCCEEDED", {"who": "cli"})


def test_it_says_what_is_wrong(versioned, workflow):
    versioned(HELLO, name="hello")
    with pytest.raises(CommandError, match="not JSON: .* line 1, column 2"):
        call_command("run_workflow", "hello", "--input", "{oops")
    with pytest.raises(CommandError, match="no version 9"):
        call_command("run_workflow", "hello", "--version", "9")
    with pytest.raises(CommandError, match="Save a version"):
        call_command("run_workflow", str(workflow.pk))
    with pytest.raises(CommandError, match="No workflow 'nope'"):
        call_command("run_workflow", "nope")
