"""The cycle finder: the Kahn pre-pass must not change which states lie on a cycle."""

import random

from asl.validation.semantics import _cyclic, _tarjan


def test_chain_has_no_cycle():
    edges = {f"S{i}": [f"S{i + 1}"] for i in range(50)}
    edges["S50"] = []
    assert _cyclic(edges) == set()


def test_self_loop_and_loop_downstream_of_a_chain():
    edges = {"A": ["B"], "B": ["C", "C"], "C": ["D"], "D": ["C", "E"], "E": ["E"], "F": []}
    assert _cyclic(edges) == {"C", "D", "E"}


def test_same_as_tarjan_on_random_graphs():
    rng = random.Random(7)
    for _ in range(300):
        names = [f"N{i}" for i in range(rng.randint(1, 12))]
        edges = {name: [rng.choice(names) for _ in range(rng.randint(0, 3))] for name in names if rng.random() < 0.9}
        assert _cyclic(edges) == _tarjan(edges)
