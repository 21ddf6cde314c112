"""Every definition in ../shared/conformance ran on AWS: none may get an ERROR."""

from __future__ import annotations

from asl import ERROR, validate
from tests.validation.corpus import CONFORMANCE, cases


def test_no_error_on_any_definition_that_ran_on_aws():
    failures = []
    count = 0
    for case in cases(CONFORMANCE):
        count += 1
        kind = case.get("state_machine_type", "STANDARD")
        errors = [d for d in validate(case["definition"], state_machine_type=kind) if d.severity == ERROR]
        if errors:
            failures.append(f"{case['name']}: {errors[0].code} at {errors[0].location}: {errors[0].message}")
    print(f"\nconformance: {count - len(failures)}/{count} definitions without an error")
    assert count > 0
    assert failures == []
