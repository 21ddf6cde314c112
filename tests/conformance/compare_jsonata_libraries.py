"""Re-measure the JSONata libraries behind asl/jsonata.py on the corpus (docs/adr/0002-jsonata.md).

    python -m tests.conformance.compare_jsonata_libraries

Each candidate is wrapped to look like `jlens.Expression` and swapped in for the run of the
jsonata/ and variables/ folders; the figures go into the ADR.
"""

from __future__ import annotations

import json
import time

import jsonata2py
import jsonatapy

import asl
import asl.jsonata as J
from tests.conformance.test_corpus import CORPUS, _checker


class _Jsonatapy:
    def __init__(self, expr: str):
        self.e = jsonatapy.compile(expr)
        for name, (implementation, _signature) in J.AWS_FUNCTIONS.items():
            if "$" + name in expr:
                try:
                    self.e.register(name, implementation)
                except Exception:
                    self.e.register_override(name, implementation)

    def evaluate_json(self, _input, bindings, timeout=None, max_depth=None):
        return self.e.evaluate_json_or_none(None, bindings, timeout=int(timeout * 1000), max_stack_depth=max_depth)

    def evaluate(self, _input, bindings, timeout=None, max_depth=None):
        return self.e.evaluate(None, bindings)

    def register_function(self, *args):
        pass


class _Jsonata2py:
    def __init__(self, expr: str):
        self.e = jsonata2py.compile(expr)

    def evaluate_json(self, _input, bindings, timeout=None, max_depth=None):
        bound = jsonata2py.JsonataBindings()
        for key, value in bindings.items():
            bound.bind_value(key, value)
        for name, (implementation, _signature) in J.AWS_FUNCTIONS.items():
            bound.bind_function(name, implementation)
        value = self.e.evaluate(None, bound)
        return None if value is jsonata2py.MISSING else json.dumps(value)

    def evaluate(self, _input, bindings, timeout=None, max_depth=None):
        return None

    def register_function(self, *args):
        pass


def main() -> None:
    compare = _checker().compare
    paths = sorted(CORPUS.glob("jsonata/*.json")) + sorted(CORPUS.glob("variables/*.json"))
    original = J.jlens.Expression
    try:
        for name, factory in (("jlens", original), ("jsonatapy", _Jsonatapy), ("jsonata2py", _Jsonata2py)):
            J.jlens.Expression = factory
            passed, failures = 0, []
            started = time.perf_counter()
            for path in paths:
                case = json.loads(path.read_text())
                try:
                    reason = compare(case["expected"], asl.execute(case["definition"], case["input"]).to_dict(), True)
                except Exception as error:
                    reason = f"exception {error}"
                if reason is None:
                    passed += 1
                else:
                    failures.append(path.stem)
            elapsed = (time.perf_counter() - started) * 1000
            print(f"{name}: {passed}/{len(paths)} in {elapsed:.0f} ms; failing: {', '.join(failures) or '-'}")
    finally:
        J.jlens.Expression = original


if __name__ == "__main__":
    main()
