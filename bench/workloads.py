"""The benchmark workloads: ASL definitions, inputs and expected outputs.

Two suites with the same shapes (the table in ../shared/bench/README.md):

- ``own``: generated here, in memory, with the expected outputs computed in plain Python (never by an
  ASL engine). Sizes are parameters, so the tests can run small versions.
- ``shared``: the folders of ../shared/bench (or $STEPWRIGHT_SHARED_BENCH), read in place when they
  exist. The bars of issues 3 and 4 are measured on these.

"transitions" counts state executions as AWS bills them: every state entered, nested ones included,
plus one per retry attempt.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = Path(os.environ.get("STEPWRIGHT_SHARED_BENCH", REPO.parent / "shared" / "bench"))

#: Workloads that take moto's interpreter many seconds; ``--quick`` skips moto on them.
MOTO_HEAVY = frozenset({"loop_10k", "map_1000", "map_1000_c10", "map_1000_legacy", "dataflow_heavy"})

NAMES = (
    "noop",
    "loop_10k",
    "map_1000",
    "map_1000_c10",
    "map_1000_legacy",
    "parallel_100",
    "dataflow_heavy",
    "big_definition",
    "retry_catch",
)


@dataclass
class Workload:
    name: str
    description: str
    definition: dict
    input: Any
    expected: Any
    transitions: int
    retries: int = 0
    suite: str = "own"
    #: The definition as JSON text, as an engine would receive it from a file.
    definition_text: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.definition_text:
            self.definition_text = json.dumps(self.definition, indent=1)

    @property
    def state_count(self) -> int:
        return count_states(self.definition)

    def same_as(self, other: Workload) -> bool:
        """Whether both workloads would make an engine do exactly the same work."""
        return (
            _without_comment(self.definition) == _without_comment(other.definition)
            and self.input == other.input
            and self.expected == other.expected
            and self.transitions == other.transitions
        )


def _without_comment(definition: dict) -> dict:
    return {key: value for key, value in definition.items() if key != "Comment"}


def count_states(definition: dict) -> int:
    total = 0
    for state in definition.get("States", {}).values():
        total += 1
        for branch in state.get("Branches", []):
            total += count_states(branch)
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                total += count_states(state[key])
    return total


def retryable_states(definition: dict) -> list[str]:
    """Names of every state with a Retry field, nested ones included (the Node peer zeroes their waits)."""
    names = []
    for name, state in definition.get("States", {}).items():
        if state.get("Retry"):
            names.append(name)
        for branch in state.get("Branches", []):
            names.extend(retryable_states(branch))
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                names.extend(retryable_states(state[key]))
    return names


def wait_states(definition: dict) -> list[str]:
    names = []
    for name, state in definition.get("States", {}).items():
        if state.get("Type") == "Wait":
            names.append(name)
        for branch in state.get("Branches", []):
            names.extend(wait_states(branch))
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                names.extend(wait_states(state[key]))
    return names


# ----------------------------------------------------------------------------------------------
# The own suite
# ----------------------------------------------------------------------------------------------


def noop() -> Workload:
    data = {"hello": "world"}
    return Workload(
        "noop",
        "One Pass state: start-up baseline.",
        {
            "Comment": "Baseline: a single Pass state",
            "StartAt": "Done",
            "States": {"Done": {"Type": "Pass", "End": True}},
        },
        data,
        data,
        transitions=1,
    )


def loop(iterations: int = 5000, name: str = "loop_10k") -> Workload:
    definition = {
        "Comment": "Counter loop: Inc (Pass, States.MathAdd) -> Check (Choice)",
        "StartAt": "Inc",
        "States": {
            "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"}, "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Inc"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    return Workload(
        name,
        f"{iterations} iterations of Pass(MathAdd)+Choice, then Succeed.",
        definition,
        {"i": 0, "n": iterations},
        {"i": iterations, "n": iterations},
        transitions=2 * iterations + 1,
    )


def _map_items(count: int) -> list[dict]:
    return [{"id": i, "v": i * 3, "name": f"item{i}", "flags": [i % 2 == 0, i % 3 == 0]} for i in range(count)]


def _map_item_states() -> dict:
    return {
        "Shape": {
            "Type": "Pass",
            "Parameters": {"id.$": "$.item.id", "value.$": "$.item.v", "label.$": "$.item.name", "idx.$": "$.idx"},
            "Next": "Annotate",
        },
        "Annotate": {
            "Type": "Pass",
            "Result": {"stage": "annotated", "weight": 2},
            "ResultPath": "$.note",
            "Next": "Finish",
        },
        "Finish": {
            "Type": "Pass",
            "InputPath": "$",
            "Parameters": {
                "id.$": "$.id",
                "value.$": "$.value",
                "label.$": "$.label",
                "stage.$": "$.note.stage",
                "idx.$": "$.idx",
            },
            "OutputPath": "$",
            "End": True,
        },
    }


def inline_map(count: int = 1000, concurrency: int = 0, legacy: bool = False, name: str | None = None) -> Workload:
    if name is None:
        name = f"map_{count}" + (f"_c{concurrency}" if concurrency else "") + ("_legacy" if legacy else "")
    items = _map_items(count)
    state: dict[str, Any] = {
        "Type": "Map",
        "ItemsPath": "$.items",
        "MaxConcurrency": concurrency,
        "ResultSelector": {"results.$": "$", "tag": "done"},
        "ResultPath": "$.summary",
        "Next": "Trim",
    }
    processor: dict[str, Any] = {"StartAt": "Shape", "States": _map_item_states()}
    selector = {"item.$": "$$.Map.Item.Value", "idx.$": "$$.Map.Item.Index"}
    if legacy:  # the pre-2022 field names, still accepted by AWS
        state["Parameters"] = selector
        state["Iterator"] = processor
    else:
        state["ItemSelector"] = selector
        processor["ProcessorConfig"] = {"Mode": "INLINE"}
        state["ItemProcessor"] = processor
    definition = {
        "Comment": f"Inline Map over {count} items, MaxConcurrency {concurrency}",
        "StartAt": "Fan",
        "States": {
            "Fan": state,
            "Trim": {"Type": "Pass", "Parameters": {"prefix.$": "$.prefix", "summary.$": "$.summary"}, "End": True},
        },
    }
    results = [
        {"id": item["id"], "value": item["v"], "label": item["name"], "stage": "annotated", "idx": index}
        for index, item in enumerate(items)
    ]
    return Workload(
        name,
        f"Inline Map, {count} items x 3 Pass states, MaxConcurrency {concurrency}"
        + (" (legacy Iterator/Parameters)" if legacy else " (ItemProcessor/ItemSelector)"),
        definition,
        {"prefix": "run-1", "items": items},
        {"prefix": "run-1", "summary": {"results": results, "tag": "done"}},
        transitions=1 + 3 * count + 1,
    )


def parallel(branches: int = 100, name: str | None = None) -> Workload:
    name = name or f"parallel_{branches}"
    branch_definitions = []
    expected = []
    for b in range(branches):
        n = [f"B{b:03d}_{k}" for k in range(1, 6)]  # state names are unique machine-wide
        branch_definitions.append(
            {
                "StartAt": n[0],
                "States": {
                    n[0]: {"Type": "Pass", "Parameters": {"branch": b, "seed.$": "$.seed"}, "Next": n[1]},
                    n[1]: {"Type": "Pass", "Result": {"k": b * 10}, "ResultPath": "$.r", "Next": n[2]},
                    n[2]: {"Type": "Pass", "InputPath": "$.r", "ResultPath": "$.copy", "Next": n[3]},
                    n[3]: {
                        "Type": "Pass",
                        "Parameters": {"branch.$": "$.branch", "seed.$": "$.seed", "k.$": "$.copy.k"},
                        "Next": n[4],
                    },
                    n[4]: {"Type": "Pass", "OutputPath": "$", "End": True},
                },
            }
        )
        expected.append({"branch": b, "seed": 42, "k": b * 10})
    definition = {
        "Comment": f"Parallel with {branches} branches of 5 Pass states",
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Parallel",
                "Branches": branch_definitions,
                "ResultSelector": {"branches.$": "$"},
                "ResultPath": "$.out",
                "Next": "Trim",
            },
            "Trim": {"Type": "Pass", "OutputPath": "$.out", "End": True},
        },
    }
    return Workload(
        name,
        f"Parallel, {branches} branches x 5 Pass states, then a Pass.",
        definition,
        {"seed": 42},
        {"branches": expected},
        transitions=1 + 5 * branches + 1,
    )


def dataflow(iterations: int = 400, records: int = 540, name: str = "dataflow_heavy") -> Workload:
    recs = [
        {
            "id": r,
            "name": f"rec_{r:04d}",
            "tags": [f"t{j}" for j in range(r % 5 + 1)],
            "attrs": {"score": (r * 7) % 101, "ok": r % 3 != 0, "unit": "ms"},
        }
        for r in range(records)
    ]
    definition = {
        "Comment": "Data-flow heavy loop over a ~50 KiB document",
        "StartAt": "Pick",
        "States": {
            "Pick": {
                "Type": "Pass",
                "InputPath": "$",
                "Parameters": {"rec.$": "States.ArrayGetItem($.doc.records, $.ctr.i)"},
                "ResultPath": "$.work",
                "Next": "Shape",
            },
            "Shape": {
                "Type": "Pass",
                "InputPath": "$.work.rec",
                "Parameters": {
                    "key.$": "States.Format('rec-{}-{}', $.id, $.name)",
                    "tagsCount.$": "States.ArrayLength($.tags)",
                    "json.$": "States.JsonToString($.attrs)",
                },
                "ResultPath": "$.work.shaped",
                "Next": "Roundtrip",
            },
            "Roundtrip": {
                "Type": "Pass",
                "Parameters": {
                    "attrs.$": "States.StringToJson($.work.shaped.json)",
                    "key.$": "$.work.shaped.key",
                    "pair.$": "States.Array($.work.shaped.tagsCount, $.ctr.i)",
                },
                "ResultPath": "$.work.parsed",
                "OutputPath": "$",
                "Next": "Accumulate",
            },
            "Accumulate": {
                "Type": "Pass",
                "Parameters": {
                    "i.$": "States.MathAdd($.ctr.i, 1)",
                    "n.$": "$.ctr.n",
                    "sum.$": "States.MathAdd($.ctr.sum, $.work.parsed.attrs.score)",
                    "last.$": "$.work.parsed.key",
                    "pair.$": "$.work.parsed.pair",
                },
                "ResultPath": "$.ctr",
                "Next": "More",
            },
            "More": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.ctr.i", "NumericLessThanPath": "$.ctr.n", "Next": "Pick"}],
                "Default": "Finish",
            },
            "Finish": {"Type": "Pass", "OutputPath": "$.ctr", "End": True},
        },
    }
    last = recs[iterations - 1]
    expected = {
        "i": iterations,
        "n": iterations,
        "sum": sum(rec["attrs"]["score"] for rec in recs[:iterations]),
        "last": f"rec-{last['id']}-{last['name']}",
        "pair": [len(last["tags"]), iterations - 1],
    }
    return Workload(
        name,
        f"{iterations} x 5 states with InputPath/Parameters/ResultPath/OutputPath and seven intrinsics "
        "over a ~50 KiB input.",
        definition,
        {
            "doc": {"meta": {"source": "bench", "version": 3}, "records": recs},
            "ctr": {"i": 0, "n": iterations, "sum": 0},
        },
        expected,
        transitions=5 * iterations + 1,
    )


def big_definition(total_states: int = 2000, name: str = "big_definition") -> Workload:
    """A Choice, a chain of Pass states with data-flow fields, and a Succeed; the input takes the shortcut."""
    chain = total_states - 2
    names = [f"S{k:04d}" for k in range(1, chain + 1)]
    states: dict[str, Any] = {
        "Start": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.run_all", "BooleanEquals": True, "Next": names[0]}],
            "Default": "Skip",
        },
        "Skip": {"Type": "Succeed"},
    }
    for k, state_name in enumerate(names):
        state: dict[str, Any] = {
            "Type": "Pass",
            "Comment": f"chain step {k + 1}",
            "InputPath": "$",
            "Parameters": {
                "step": k + 1,
                "label": f"stage-{k + 1}",
                "run_all.$": "$.run_all",
                "acc.$": "$.acc",
            },
            "ResultPath": "$",
            "OutputPath": "$",
        }
        if k + 1 < len(names):
            state["Next"] = names[k + 1]
        else:
            state["End"] = True
        states[state_name] = state
    definition = {
        "Comment": f"{total_states} states: a Choice, {chain} chained Pass states and a Succeed",
        "StartAt": "Start",
        "States": states,
    }
    data = {"run_all": False, "acc": 0}
    return Workload(
        name,
        f"{total_states} states; a Choice takes a 2-state shortcut, so this measures parsing and validation.",
        definition,
        data,
        data,
        transitions=2,
    )


def retry_catch(iterations: int = 100, max_attempts: int = 3, name: str = "retry_catch") -> Workload:
    definition = {
        "Comment": "A Fail inside a Parallel, retried then caught, in a loop (retry waits are virtual).",
        "StartAt": "Attempt",
        "States": {
            "Attempt": {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Custom.Boom", "Cause": "boom"}}}
                ],
                "Retry": [
                    {
                        "ErrorEquals": ["Custom.Boom"],
                        "IntervalSeconds": 1,
                        "MaxAttempts": max_attempts,
                        "BackoffRate": 1.0,
                    }
                ],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Count"}],
                "Next": "Count",
            },
            "Count": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n", "last.$": "$.err"},
                "Next": "Again",
            },
            "Again": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Attempt"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    attempts = 1 + max_attempts
    return Workload(
        name,
        f"{iterations} x [Parallel(Fail) retried {max_attempts}x then caught -> Pass(MathAdd) -> Choice].",
        definition,
        {"i": 0, "n": iterations},
        {"i": iterations, "n": iterations, "last": {"Error": "Custom.Boom", "Cause": "boom"}},
        # per iteration: every attempt enters Parallel and Fail; then Count and Again; then Done
        transitions=iterations * (attempts * 2 + 2) + 1,
        retries=iterations * max_attempts,
    )


def own_workloads(small: bool = False) -> list[Workload]:
    """The own suite at the README's sizes, or tiny versions of the same shapes (``small``, for tests)."""
    if small:
        return [
            noop(),
            loop(5, name="loop_10k"),
            inline_map(4, 0, name="map_1000"),
            inline_map(4, 2, name="map_1000_c10"),
            inline_map(4, 0, legacy=True, name="map_1000_legacy"),
            parallel(3, name="parallel_100"),
            dataflow(4, 6),
            big_definition(20),
            retry_catch(2, 2),
        ]
    return [
        noop(),
        loop(),
        inline_map(1000, 0),
        inline_map(1000, 10),
        inline_map(1000, 0, legacy=True),
        parallel(),
        dataflow(),
        big_definition(),
        retry_catch(),
    ]


# ----------------------------------------------------------------------------------------------
# The shared suite (read in place, never copied into the repository)
# ----------------------------------------------------------------------------------------------


def shared_workloads(root: Path = SHARED_BENCH) -> list[Workload]:
    """The workloads of ../shared/bench, or [] when that folder is absent."""
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir()):
        if not (folder / "definition.json").is_file():
            continue
        meta = json.loads((folder / "meta.json").read_text())
        text = (folder / "definition.json").read_text()
        found.append(
            Workload(
                folder.name,
                meta.get("description", ""),
                json.loads(text),
                json.loads((folder / "input.json").read_text()),
                json.loads((folder / "expected.json").read_text()),
                transitions=int(meta["transitions"]),
                retries=int(meta.get("retries", 0)),
                suite="shared",
                definition_text=text,
            )
        )
    order = {name: k for k, name in enumerate(NAMES)}
    found.sort(key=lambda w: (order.get(w.name, len(order)), w.name))
    return found
