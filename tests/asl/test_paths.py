import pytest
from hypothesis import given
from hypothesis import strategies as st

from asl.paths import PathNotFound, PathSyntaxError, compile_path, compile_reference_path, is_reference_path

DATA = {"a": {"b": [1, 2, {"c": 3}]}, "users": [{"status": 0, "n": 1}, {"status": 1, "n": 2}], "x-y": None}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$", DATA),
        ("$.a.b[2].c", 3),
        ("$['a']['b'][0]", 1),
        ("$.a.b[-1]", {"c": 3}),
        ("$.x-y", None),
        ("$.a.b[*]", [1, 2, {"c": 3}]),
        ("$.a.b[1:]", [2, {"c": 3}]),
        ("$.a.b[:1]", [1]),
        ("$..c", [3]),
        ("$.users[?(@.status == 0)]", [{"status": 0, "n": 1}]),
        ("$.users[?(@.n > 1 && @.status != 0)].n", [2]),
        ("$.users[*].n", [1, 2]),
        ("$.a.b[0,1]", [1, 2]),
    ],
)
def test_it_finds_values(path, expected):
    assert compile_path(path).find(DATA) == expected


def test_a_missing_key_is_not_found():
    with pytest.raises(PathNotFound):
        compile_path("$.nope").find(DATA)
    with pytest.raises(PathNotFound):
        compile_path("$.a.b[7]").find(DATA)


def test_roots():
    assert compile_path("$$.Execution.Id").root == "$$"
    assert compile_path("$myVar.field").variable == "myVar"
    assert compile_path("$.a").variable is None


def test_normalized_form_matches_jayway():
    assert compile_path("$.NoSuchInputPath").normalized() == "$['NoSuchInputPath']"


@pytest.mark.parametrize("bad", ["", "a.b", "$.", "$[", "$['a'", "$[?(@.a ==)]", "$.a[x]"])
def test_syntax_errors_carry_a_position(bad):
    with pytest.raises(PathSyntaxError) as info:
        compile_path(bad)
    assert 0 <= info.value.position <= len(bad)


def test_reference_paths_are_names_and_indexes_only():
    assert is_reference_path("$.a.b[0]")
    assert not is_reference_path("$.a[*]")
    assert not is_reference_path("$..a")
    with pytest.raises(PathSyntaxError):
        compile_reference_path("$.a[?(@.b)]")


names = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters="_-"), min_size=1)


@given(st.lists(st.one_of(names, st.integers(min_value=0, max_value=5)), max_size=6))
def test_generated_definite_paths_round_trip(steps):
    text = "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps)
    compiled = compile_path(text)
    assert compiled.definite
    assert list(compiled.keys) == steps
    # Build the document the path points into, then find the leaf again.
    leaf = object()
    doc = leaf
    for step in reversed(steps):
        doc = [None] * step + [doc] if isinstance(step, int) else {step: doc}
    assert compiled.find(doc) is leaf


@given(st.text(max_size=30))
def test_the_parser_never_crashes(text):
    try:
        compile_path(text)
    except PathSyntaxError as error:
        assert 0 <= error.position <= len(text)
