import pytest
from hypothesis import given
from hypothesis import strategies as st

from asl.functions import IntrinsicError, evaluate_call
from asl.intrinsics import FUNCTIONS, Call, IntrinsicSyntaxError, Literal, PathArg, parse_intrinsic


def run(text, data=None):
    return evaluate_call(parse_intrinsic(text), lambda arg: arg.path.find(data))


def test_there_are_eighteen_functions():
    assert len(FUNCTIONS) == 18


def test_it_parses_nested_calls_paths_and_literals():
    call = parse_intrinsic("States.Format('{} and {}', $.a[0], States.MathAdd(1, -2.5))")
    assert call.name == "States.Format"
    literal, path, nested = call.args
    assert literal == Literal("{} and {}", 14)
    assert isinstance(path, PathArg) and path.path.text == "$.a[0]"
    assert isinstance(nested, Call) and nested.name == "States.MathAdd"


def test_escapes_in_string_literals():
    assert parse_intrinsic(r"States.Format('it\'s \{\} \\')").args[0].value == "it's {} \\"


@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        ("States.Format('x={} y={}', $.x, $.y)", {"x": 1.5, "y": {"a": 1, "b": [1, 2]}}, "x=1.5 y={a=1, b=[1, 2]}"),
        ("States.Format('{}', $.n)", {"n": None}, "null"),
        ("States.StringToJson($.s)", {"s": '{"a": [1]}'}, {"a": [1]}),
        ("States.StringToJson($.s)", {"s": ""}, None),
        ("States.JsonToString($.v)", {"v": {"a": [1, "x"]}}, '{"a":[1,"x"]}'),
        ("States.Array(1, 'two', null, true)", None, [1, "two", None, True]),
        ("States.ArrayPartition($.a, 2)", {"a": [1, 2, 3]}, [[1, 2], [3]]),
        ("States.ArrayContains($.a, $.v)", {"a": [[1, 2], 3], "v": [1, 2]}, True),
        ("States.ArrayContains($.a, 1)", {"a": [True]}, False),
        ("States.ArrayRange(1, 9, 2)", None, [1, 3, 5, 7, 9]),
        ("States.ArrayGetItem($.a, 1)", {"a": ["x", "y"]}, "y"),
        ("States.ArrayLength($.a)", {"a": [1, 2, 3]}, 3),
        ("States.ArrayUnique($.a)", {"a": [1, 1, "1", None, None, {"a": 1}, {"a": 1}]}, [1, "1", None, {"a": 1}]),
        ("States.Base64Encode('Data to encode')", None, "RGF0YSB0byBlbmNvZGU="),
        ("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')", None, "Data to encode"),
        ("States.Hash('input data', 'SHA-1')", None, "aaff4a450a104cd177d28d18d74485e8cae074b7"),
        ("States.JsonMerge($.a, $.b, false)", {"a": {"x": 1, "y": 1}, "b": {"y": 2}}, {"x": 1, "y": 2}),
        ("States.MathAdd(1.49, 1.5)", None, 3),
        ("States.MathAdd(-2.5, 0)", None, -2),
        ("States.StringSplit(', , ,', ',')", None, [" ", " "]),
        ("States.StringSplit('a.b+c', '.+')", None, ["a", "b", "c"]),
    ],
)
def test_functions(text, data, expected):
    assert run(text, data) == expected


def test_math_random_stays_in_range_and_seeds():
    assert 3 <= run("States.MathRandom(3, 5)") <= 5
    assert run("States.MathRandom(0, 999, 7)") == run("States.MathRandom(0, 999, 7)")


def test_uuid():
    assert len(run("States.UUID()")) == 36


@pytest.mark.parametrize(
    "text",
    [
        "States.Unknown()",
        "States.MathAdd(1)",
        "States.UUID(1)",
        "States.Format(1)",
        "States.Format('x'",
        "States.Array(1,)",
        "States.Array('unclosed)",
        "States.Array() trailing",
        "Format('x')",
    ],
)
def test_syntax_errors(text):
    with pytest.raises(IntrinsicSyntaxError) as info:
        parse_intrinsic(text)
    assert 0 <= info.value.position <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        "States.Format('{} {}', 1)",
        "States.ArrayGetItem(States.Array(1), 5)",
        "States.ArrayPartition(States.Array(1), 0)",
        "States.Hash('x', 'SHA-3')",
        "States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), true)",
        "States.StringToJson('{nope')",
    ],
)
def test_runtime_errors(text):
    with pytest.raises(IntrinsicError):
        run(text)


literals = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.booleans(),
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)


def render(value):
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("{", "\\{").replace("}", "\\}") + "'"
    return (
        {True: "true", False: "false", None: "null"}.get(value, str(value))
        if not isinstance(value, int) or isinstance(value, bool)
        else str(value)
    )


@given(st.lists(literals, max_size=6))
def test_array_of_generated_literals_round_trips(values):
    assert run("States.Array(" + ", ".join(render(v) for v in values) + ")") == values


@given(st.text(max_size=40))
def test_the_parser_never_crashes(text):
    try:
        parse_intrinsic("States." + text)
    except IntrinsicSyntaxError as error:
        assert 0 <= error.position <= len(text) + 7
