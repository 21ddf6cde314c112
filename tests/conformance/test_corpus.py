"""The AWS-recorded conformance corpus, run in place through `asl.execute`.

`baseline.json` lists the cases that pass; it may only grow. A case in the baseline that fails is
a regression and fails this test; a case that newly passes is reported so the baseline can rise
(`python -m tests.conformance.update_baseline`).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.conformance.adapter import run

CORPUS = Path(__file__).parents[2].parent / "shared" / "conformance"
BASELINE = Path(__file__).with_name("baseline.json")


def _checker():
    spec = importlib.util.spec_from_file_location("conformance_check", CORPUS / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cases() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*/*.json"))


def case_name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def run_case(path: Path, compare) -> str | None:
    case = json.loads(path.read_text())
    args = [case["definition"], case["input"]]
    if "mocks" in case:
        args.append(case["mocks"])
    try:
        result = run(*args)
    except Exception as error:  # the engine must never raise: report it as the failure reason
        return f"exception {type(error).__name__}: {error}"
    return compare(case["expected"], result, check_history=True)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the conformance corpus is not at {CORPUS}")
def test_no_baseline_case_regresses():
    compare = _checker().compare
    baseline = set(json.loads(BASELINE.read_text()))
    regressions, newly_passing = [], []
    for path in _cases():
        name = case_name(path)
        reason = run_case(path, compare)
        if reason is not None and name in baseline:
            regressions.append(f"{name}: {reason}")
        elif reason is None and name not in baseline:
            newly_passing.append(name)
    assert not regressions, "conformance regressions:\n" + "\n".join(regressions)
    if newly_passing:
        print(f"{len(newly_passing)} case(s) pass that are not in the baseline yet; run update_baseline")
