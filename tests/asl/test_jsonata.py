import pytest

from asl.jsonata import UNDEFINED, JSONataEvaluationError, JSONataSyntaxError, compile_jsonata


def evaluate(expr, states=None, variables=None):
    return compile_jsonata(expr).evaluate(states or {"input": {}}, variables)


def test_states_is_bound():
    assert evaluate("$states.input.a + 1", {"input": {"a": 41}}) == 42


def test_undefined_is_not_null():
    assert evaluate("$states.input.missing") is UNDEFINED
    assert evaluate("$states.input.a", {"input": {"a": None}}) is None


def test_variables_are_bound():
    assert evaluate("$x & $y", variables={"x": "a", "y": "b"}) == "ab"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("$partition([1,2,3,4,5], 2)", [[1, 2], [3, 4], [5]]),
        ("$range(0, 10, 5)", [0, 5, 10]),
        ("$hash('input data', 'MD5')", "812f45842bc6d66ee14572ce20db8e86"),
        ("$parse('{\"a\": [1]}')", {"a": [1]}),
        ("$random(7) = $random(7)", True),
        ("$length($uuid())", 36),
    ],
)
def test_aws_functions(expr, expected):
    assert evaluate(expr) == expected


@pytest.mark.parametrize("expr", ["1 +", "$states.input ?? 1", "a ?: b", ""])
def test_syntax_errors(expr):
    with pytest.raises(JSONataSyntaxError):
        compile_jsonata(expr)


def test_operators_inside_strings_are_fine():
    assert evaluate("'??'") == "??"


def test_evaluation_errors_are_mapped():
    with pytest.raises(JSONataEvaluationError):
        evaluate("$number('x') + {}")


def test_an_infinite_recursion_is_stopped(monkeypatch):
    monkeypatch.setattr("asl.jsonata.TIMEOUT_SECONDS", 0.2)
    with pytest.raises(JSONataEvaluationError):
        evaluate("($f := function($x){ $x < 0 ? 1 : $f($x + 1) }; $f(1))")
