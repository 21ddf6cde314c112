"""Task resources for in-process runs: recorded mocks, Step Functions Local's MockConfigFile, and
handlers (a callable per resource pattern)."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable
from pathlib import Path


class TaskFailure(Exception):
    """Raise from a handler to fail the task with an AWS-style error name and cause."""

    def __init__(self, error: str, cause: str | None = None, *, timeout: bool = False):
        super().__init__(f"{error}: {cause}" if cause else error)
        self.error = error
        self.cause = cause
        self.timeout = timeout


class NoResource(LookupError):
    pass


def from_mock_config(config: dict, test_case: str, state_machine: str | None = None) -> dict[str, list[dict]]:
    """Convert a MockConfigFile test case to `{"State": [item, …]}` (one item per invocation)."""
    machines = config.get("StateMachines", {})
    candidates = [machines[state_machine]] if state_machine else list(machines.values())
    case = next((m["TestCases"][test_case] for m in candidates if test_case in m.get("TestCases", {})), None)
    if case is None:
        raise KeyError(f"test case {test_case!r} is not in the mock config")
    responses = config.get("MockedResponses", {})
    mocks: dict[str, list[dict]] = {}
    for state_name, response_name in case.items():
        mocks[state_name] = response_items(responses[response_name])
    return mocks


def response_items(response: dict) -> list[dict]:
    """One MockedResponses entry ({"0": {"Return": …}, "1-2": {"Throw": …}}) as one item per invocation."""
    items: list[dict] = []
    for key in sorted(response, key=lambda k: int(str(k).split("-")[0])):
        first, _, last = str(key).partition("-")
        body = response[key]
        if "Return" in body:
            item = {"result": body["Return"]}
        else:
            throw = body.get("Throw", {})
            item = {"error": throw.get("Error"), "cause": throw.get("Cause")}
        items.extend([item] * (int(last or first) - int(first) + 1))
    return items


def normalize_mocks(mocks: dict | None) -> dict[str, list[dict]]:
    if not mocks:
        return {}
    if "StateMachines" in mocks or "MockedResponses" in mocks:
        cases = [(name, m) for m in mocks.get("StateMachines", {}).values() for name in m.get("TestCases", {})]
        if len(cases) != 1:
            raise ValueError("a MockConfigFile with several test cases needs from_mock_config(config, test_case)")
        return from_mock_config(mocks, cases[0][0])
    return mocks


class Resources:
    """Resolves a Task invocation: the next mock for the state, else a matching handler."""

    def __init__(self, mocks: dict | None, handlers: dict[str, Callable] | Callable | None):
        self.mocks = normalize_mocks(mocks)
        self.used: dict[str, int] = {}
        if callable(handlers):
            handlers = {"*": handlers}
        self.handlers = handlers or {}

    def invoke(self, effect: dict, context: dict) -> dict:
        state, resource = effect["state"], effect["resource"]
        if state in self.mocks:
            n = self.used.get(state, 0)
            self.used[state] = n + 1
            items = self.mocks[state]
            if n >= len(items):
                return {
                    "error": "States.Runtime",
                    "cause": f"The mock for state '{state}' has {len(items)} response(s); invocation {n + 1} has none.",
                }
            item = items[n]
            if "result" in item:
                return {"result": item["result"]}
            outcome = {"error": item.get("error"), "cause": item.get("cause")}
            if item.get("timeout"):
                outcome["timeout"] = True
            return outcome
        handler = self.handlers.get(resource)
        if handler is None:
            handler = next((h for pattern, h in self.handlers.items() if fnmatch.fnmatchcase(resource, pattern)), None)
        if handler is None:
            raise NoResource(f"Task state '{state}' has no mock and no handler for resource '{resource}'")
        return call_handler(handler, effect, context)


def call_handler(handler: Callable, effect: dict, context: dict) -> dict:
    """A handler's answer as a task outcome: its return value, or the TaskFailure (or bug) it raised."""
    try:
        return {"result": handler(effect["parameters"], {**effect, "context": context})}
    except TaskFailure as failure:
        outcome = {"error": failure.error, "cause": failure.cause}
        if failure.timeout:
            outcome["timeout"] = True
        return outcome
    except Exception as error:  # a handler's own bug fails the task, as a Lambda error would
        return {"error": type(error).__name__, "cause": str(error)}


def local_files(root: str | Path) -> dict[str, Callable]:
    """Handlers that serve a Distributed Map's S3 ItemReader and ResultWriter from a local folder:
    `Bucket/Key` is read as `root/Bucket/Key`; results are written as JSON under `Prefix`."""
    base = Path(root)

    def get_object(parameters: dict, _effect: dict) -> dict:
        path = base / parameters.get("Bucket", "") / parameters["Key"]
        return {"Body": path.read_text()}

    def put_results(parameters: dict, _effect: dict) -> dict:
        folder = base / parameters.get("Bucket", "") / parameters.get("Prefix", "")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "results.json").write_text(json.dumps(parameters.get("Results", [])))
        return {
            "ResultWriterDetails": {
                "Bucket": parameters.get("Bucket"),
                "Key": str(Path(parameters.get("Prefix", "")) / "results.json"),
            }
        }

    return {"arn:aws:states:::s3:getObject": get_object, "arn:aws:states:::s3:putObject": put_results}
