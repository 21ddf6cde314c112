"""Raise tests/conformance/baseline.json to the cases that pass now (it never drops a case)."""

from __future__ import annotations

import json

from tests.conformance.test_corpus import BASELINE, _cases, _checker, case_name, run_case


def main() -> None:
    compare = _checker().compare
    old = set(json.loads(BASELINE.read_text())) if BASELINE.exists() else set()
    passing = {case_name(p) for p in _cases() if run_case(p, compare) is None}
    lost = old - passing
    if lost:
        raise SystemExit("refusing to lower the baseline; regressions: " + ", ".join(sorted(lost)))
    BASELINE.write_text(json.dumps(sorted(passing), indent=1) + "\n")
    print(f"baseline: {len(passing)} cases ({len(passing - old)} new)")


if __name__ == "__main__":
    main()
