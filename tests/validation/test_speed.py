"""A 2,000-state definition validates in under 50 ms (the bar of issue 4), as a dict and as JSON text."""

from __future__ import annotations

import json
import time

import pytest

from asl import validate
from tests.validation.corpus import BIG_DEFINITION, require


def _best_of(runs: int, definition: object) -> tuple[float, list]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        diagnostics = validate(definition)
        timings.append(time.perf_counter() - start)
    return min(timings), diagnostics


@pytest.mark.parametrize("form", ["dict", "text"])
def test_two_thousand_states_validate_in_under_50_ms(form):
    require(BIG_DEFINITION.parent)
    text = BIG_DEFINITION.read_text()
    definition = json.loads(text) if form == "dict" else text
    assert len(json.loads(text)["States"]) == 2000
    validate(definition)  # warm the caches (schema compile, path parser)
    best, diagnostics = _best_of(10, definition)
    print(f"\n2,000-state definition as {form}: best of 10 {best * 1000:.1f} ms")
    assert [d for d in diagnostics if d.severity == "ERROR"] == []
    assert best < 0.050
