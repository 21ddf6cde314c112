import json

from hypothesis import given
from hypothesis import strategies as st

from asl.serial import Serializer

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=30,
)


def reference(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@given(json_values)
def test_it_matches_json_dumps(value):
    assert Serializer().dumps(value) == reference(value)


def test_a_shared_container_is_reused_and_still_exact():
    doc = {"records": [{"id": i, "name": "é" * 3} for i in range(50)]}
    serializer = Serializer()
    first = {"doc": doc, "i": 1}
    second = {"doc": doc, "i": 2}
    assert serializer.dumps(first) == reference(first)
    assert serializer.dumps(second) == reference(second)


def test_a_changed_container_is_not_reused():
    serializer = Serializer()
    a = {"x": {"y": [1]}}
    assert serializer.dumps(a) == reference(a)
    b = {"x": {"y": [2]}}
    assert serializer.dumps(b) == reference(b)
