"""A 2,000-state definition validates in under 50 ms (the bar of issue 4)."""

from __future__ import annotations

import json
import time

from asl import validate
from tests.validation.corpus import BIG_DEFINITION, require


def test_two_thousand_states_validate_in_under_50_ms():
    require(BIG_DEFINITION.parent)
    text = BIG_DEFINITION.read_text()
    value = json.loads(text)
    assert len(value["States"]) == 2000
    validate(value)  # warm the caches (schema compile, path parser)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        diagnostics = validate(value)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(f"\n2,000-state definition: best of 5 {best * 1000:.1f} ms (dict input)")
    assert [d for d in diagnostics if d.severity == "ERROR"] == []
    assert best < 0.050
