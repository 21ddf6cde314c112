"""The validator never raises and never falls back to its catch-all, whatever it is given."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl import validate

FIELDS = [
    "Type", "Next", "End", "Resource", "Parameters", "ResultPath", "InputPath", "OutputPath", "Choices",
    "Default", "Branches", "ItemProcessor", "Iterator", "Retry", "Catch", "Seconds", "Timestamp", "Assign",
    "Output", "Arguments", "QueryLanguage", "ErrorEquals", "Variable", "And", "Not", "StartAt", "States",
    "Items", "ItemReader", "Label", "x.$", "Condition", "TimeoutSeconds", "HeartbeatSeconds",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["$.a", "$$.x", "$v", "States.Format('{}', $.a)", "{% $x %}", "{% ", "Pass", "Task", "Map", "A"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=30,
)
BASE = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": True, "Next": "C"}], "Default": "C"},
        "C": {"Type": "Map", "ItemProcessor": {"StartAt": "D", "States": {"D": {"Type": "Succeed"}}}, "End": True},
    },
}


def _clean(diagnostics) -> bool:
    return not any("could not check" in d.message for d in diagnostics)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
def test_any_value_is_handled(value):
    assert _clean(validate(value))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["A", "B", "C"]), st.sampled_from(FIELDS), VALUES)
def test_any_field_of_a_state_can_be_anything(state, field, value):
    definition = copy.deepcopy(BASE)
    definition["States"][state][field] = value
    assert _clean(validate(definition))
    assert _clean(validate(json.dumps(definition)))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_handled(text):
    assert _clean(validate(text))
