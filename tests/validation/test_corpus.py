"""The bars of issue 4 on ../shared/validation, with a recorded baseline that may only rise."""

from __future__ import annotations

import json
from pathlib import Path

from asl import ERROR, validate
from tests.validation.corpus import VALIDATION, cases, definition, expected_pointers, near

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text())


def _errors(case: dict, **options) -> list:
    kind = (case.get("context") or {}).get("type", "STANDARD")
    return [d for d in validate(definition(case), state_machine_type=kind, **options) if d.severity == ERROR]


def measure() -> dict:
    figures = dict.fromkeys(("valid", "accepted", "invalid", "rejected", "with_pointer", "at_pointer"), 0)
    misses: list[str] = []
    for case in cases(VALIDATION):
        if case["expect"] == "valid":
            figures["valid"] += 1
            errors = _errors(case, allow_placeholders=bool(case.get("resource_placeholders")))
            if errors:
                misses.append(f"rejected valid {case['name']}: {errors[0].code} {errors[0].location}")
            else:
                figures["accepted"] += 1
            continue
        figures["invalid"] += 1
        errors = _errors(case)
        figures["rejected"] += bool(errors)
        if not errors:
            misses.append(f"accepted invalid {case['name']}")
        pointers = expected_pointers(case)
        if pointers:
            figures["with_pointer"] += 1
            figures["at_pointer"] += any(near(e.location, p) for e in errors for p in pointers)
    figures["misses"] = misses
    return figures


def test_validation_corpus_figures_never_fall():
    figures = measure()
    accept = figures["accepted"] / figures["valid"]
    reject = figures["rejected"] / figures["invalid"]
    pointer = figures["at_pointer"] / figures["with_pointer"]
    print(
        f"\nvalidation corpus: accepted {figures['accepted']}/{figures['valid']} valid ({accept:.1%}, bar 99%), "
        f"rejected {figures['rejected']}/{figures['invalid']} invalid ({reject:.1%}, bar 97%), "
        f"error at the expected pointer in {figures['at_pointer']}/{figures['with_pointer']} ({pointer:.1%}, bar 85%)"
    )
    print("\n".join(figures["misses"]))
    assert figures["accepted"] >= BASELINE["accepted"]
    assert figures["rejected"] >= BASELINE["rejected"]
    assert figures["at_pointer"] >= BASELINE["at_pointer"]
    assert reject >= 0.97
    assert pointer >= 0.85
