"""Read the shared reference corpora in place (never copied into the repo)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
VALIDATION = SHARED / "validation"
CONFORMANCE = SHARED / "conformance"
BIG_DEFINITION = SHARED / "bench" / "big_definition" / "definition.json"


def require(folder: Path) -> Path:
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the shared reference corpus sits beside the repository")
    return folder


def cases(folder: Path, pattern: str = "*/*.json") -> Iterator[dict]:
    for path in sorted(require(folder).glob(pattern)):
        yield json.loads(path.read_text())


def definition(case: dict) -> object:
    """The definition as the validator should get it: raw text is kept as {"raw": text}."""
    value = case["definition"]
    if isinstance(value, dict) and "raw" in value and set(value) <= {"raw", "format"}:
        return value["raw"]
    return value


_POINTER = re.compile(r" at (/.*?)(?: \(| has |$)")


def expected_pointers(case: dict) -> list[str]:
    """JSON pointers named by the case's problems ('/' meaning the root), skipping filtered ones."""
    found = []
    for problem in case.get("problems") or []:
        if problem.startswith("[filtered"):
            continue
        match = _POINTER.search(problem)
        if match:
            pointer = match.group(1).rstrip()
            found.append("" if pointer == "/" else pointer)
    return found


def near(reported: str, expected: str) -> bool:
    """The same place, or one contains the other."""
    if reported == expected or expected == "":
        return True
    if reported and expected.startswith(reported + "/"):
        return True  # a root-level error would contain everything; it does not count
    return reported.startswith(expected + "/")
