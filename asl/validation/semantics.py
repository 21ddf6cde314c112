"""Semantics: what the schema cannot say. Transitions and reachability per scope, unique names,
Choice rules, Retry/Catch, Map, Wait, paths, intrinsics, JSONata, resources, and the warnings.

Every check tolerates any shape (the schema has already reported wrong types) and never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from asl.diagnostics import ERROR, WARNING, Diagnostic
from asl.validation import codes
from asl.validation.pointers import join
from asl.validation.states import StateChecker

TERMINAL_TYPES = ("Succeed", "Fail")
MAX_NAME = 80


@dataclass
class Context:
    state_machine_type: str = "STANDARD"
    allow_placeholders: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)  # state name -> pointers of the States holding it
    assigned: set[str] = field(default_factory=set)
    reads: dict[str, str] = field(default_factory=dict)  # variable -> first pointer that reads it
    # When a dict: id of each JSONPath payload template -> its compiled form, for compile_machine.
    templates: dict[int, tuple] | None = None

    def error(self, code: str, message: str, pointer: str) -> None:
        self.diagnostics.append(Diagnostic(ERROR, code, message, pointer))

    def warn(self, code: str, message: str, pointer: str) -> None:
        self.diagnostics.append(Diagnostic(WARNING, code, message, pointer))

    def add(self, diagnostic: Diagnostic | None) -> None:
        if diagnostic is not None:
            self.diagnostics.append(diagnostic)

    @property
    def express(self) -> bool:
        return str(self.state_machine_type).upper() == "EXPRESS"


def check(definition: dict, context: Context) -> None:
    language = definition.get("QueryLanguage")
    language = language if language in ("JSONPath", "JSONata") else "JSONPath"
    checker = StateChecker(context, check_machine)
    check_machine(definition, "", language, language == "JSONata", context, checker)
    for name, scopes in context.names.items():
        for scope in scopes[1:]:
            context.error(
                codes.DUPLICATE_STATE_NAME,
                f"The state name {name!r} is already used at {join(scopes[0], name)}; state names must be unique "
                "across the whole state machine, Parallel branches and Map processors included.",
                join(scope, name),
            )
    for variable, pointer in context.reads.items():
        if variable not in context.assigned:
            context.warn(
                codes.VARIABLE_NOT_ASSIGNED,
                f"The variable ${variable} is read here but no state assigns it (Assign); it will be undefined.",
                pointer,
            )


def check_machine(
    machine: Any, pointer: str, language: str, strict: bool, context: Context, checker: StateChecker
) -> None:
    """One scope: the top-level machine, a Parallel branch or a Map processor."""
    if not isinstance(machine, dict):
        return
    states = machine.get("States")
    if not isinstance(states, dict):
        return
    states_pointer = join(pointer, "States")
    start = machine.get("StartAt")
    start_ok = isinstance(start, str) and start in states
    if isinstance(start, str) and not start_ok:
        context.error(
            codes.MISSING_TRANSITION_TARGET,
            f"StartAt names {start!r}, which is not a state of this {'machine' if not pointer else 'scope'}"
            f"{_suggest(start, states)}.",
            join(pointer, "StartAt"),
        )
    edges: dict[str, list[str]] = {}
    terminal: set[str] = set()
    waits: set[str] = set()
    for name, state in states.items():
        context.names.setdefault(name, []).append(states_pointer)
        _check_name(name, states_pointer, context)
        state_pointer = join(states_pointer, name)
        if not isinstance(state, dict):
            continue
        own = state.get("QueryLanguage")
        state_language = own if own in ("JSONPath", "JSONata") and not strict else language
        targets = checker.check(name, state, state_pointer, state_language, strict)
        kind = state.get("Type")
        if kind in TERMINAL_TYPES or state.get("End") is True:
            terminal.add(name)
        if kind == "Wait":
            waits.add(name)
        out = []
        for target, base, key in targets:
            if not isinstance(target, str):
                continue
            if target in states:
                out.append(target)
            else:
                context.error(
                    codes.MISSING_TRANSITION_TARGET,
                    f"{key} names {target!r}, which is not a state of this scope{_suggest(target, states)}.",
                    join(base, key),
                )
        edges[name] = out
    _check_graph(states, states_pointer, start if start_ok else None, edges, terminal, waits, context)


def _check_graph(
    states: dict,
    states_pointer: str,
    start: str | None,
    edges: dict[str, list[str]],
    terminal: set[str],
    waits: set[str],
    context: Context,
) -> None:
    if not states:
        return
    if start is not None:
        reachable = {start}
        stack = [start]
        while stack:
            for target in edges.get(stack.pop(), ()):
                if target not in reachable:
                    reachable.add(target)
                    stack.append(target)
        for name in states:
            if name not in reachable:
                context.error(
                    codes.UNREACHABLE_STATE,
                    f"The state {name!r} cannot be reached from StartAt; link it with Next, Default or Catch, "
                    "or remove it.",
                    join(states_pointer, name),
                )
    else:
        # Without a valid StartAt, call unreachable what nothing else points to.
        referenced = {t for source, targets in edges.items() for t in targets if t != source}
        for name in states:
            if name not in referenced and len(states) > 1:
                context.error(
                    codes.UNREACHABLE_STATE,
                    f"The state {name!r} cannot be reached: StartAt is not valid and no other state leads to it.",
                    join(states_pointer, name),
                )
        reachable = set(states)
    if not terminal & reachable:
        context.error(
            codes.MISSING_END_STATE,
            'No terminal state can be reached: at least one state must be a Succeed or Fail state or have "End": true.',
            states_pointer,
        )
        return
    # Both warnings below are about states on a cycle; most definitions have none.
    cyclic = _cyclic(edges)
    if not cyclic:
        return
    # Which reachable states can still get to a terminal state?
    incoming: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            incoming.setdefault(target, []).append(source)
    can_finish = set(terminal)
    stack = list(terminal)
    while stack:
        for source in incoming.get(stack.pop(), ()):
            if source not in can_finish:
                can_finish.add(source)
                stack.append(source)
    trapped = [n for n in states if n in reachable and n not in can_finish and n in cyclic]
    if trapped:
        context.warn(
            codes.LOOP_WITHOUT_EXIT,
            f"The states {', '.join(map(repr, trapped[:5]))} loop with no way to a terminal state: only a failure "
            "or the execution timeout ends them.",
            join(states_pointer, trapped[0]),
        )
    if not context.express:
        looping = [n for n in states if n in reachable and n in can_finish and n in cyclic]
        if looping and not (set(looping) & waits):
            context.warn(
                codes.HISTORY_LIMIT_RISK,
                f"The loop through {', '.join(map(repr, looping[:5]))} has no Wait state; each turn adds history "
                "events, and a STANDARD execution fails at 25,000. Bound the loop, or move the work to a Map "
                "or a child execution.",
                join(states_pointer, looping[0]),
            )


def _cyclic(edges: dict[str, list[str]]) -> set[str]:
    """States that lie on a cycle.

    First peel off, Kahn-style, every state that nothing left points to: they cannot be on a
    cycle, and on the usual mostly-linear definition that leaves nothing. Tarjan's strongly
    connected components (iteratively) then run on what remains, if anything.
    """
    indegree: dict[str, int] = {}
    for targets in edges.values():
        for target in targets:
            indegree[target] = indegree.get(target, 0) + 1
    queue = [name for name in edges if name not in indegree]
    while queue:
        for target in edges.get(queue.pop(), ()):
            left = indegree[target] - 1
            indegree[target] = left
            if not left:
                queue.append(target)
    remaining = {name for name, left in indegree.items() if left}
    if not remaining:
        return set()
    return _tarjan({name: [t for t in edges.get(name, ()) if t in remaining] for name in remaining})


def _tarjan(edges: dict[str, list[str]]) -> set[str]:
    """States that lie on a cycle (Tarjan's strongly connected components, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: set[str] = set()
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    result.update(component)
    return result


_FORBIDDEN_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _check_name(name: str, states_pointer: str, context: Context) -> None:
    if isinstance(name, str) and name.isprintable() and 0 < len(name) <= MAX_NAME:
        return  # the usual case; control characters are never printable
    problem = None
    if not name:
        problem = "a state name cannot be empty"
    elif len(name) > MAX_NAME:
        problem = f"it is {len(name)} characters long; the limit is {MAX_NAME}"
    elif _FORBIDDEN_IN_NAME.search(name):
        problem = "it contains a control character"
    if problem:
        message = f"The state name {name[:40]!r} is not allowed: {problem}."
        context.error(codes.INVALID_STATE_NAME, message, join(states_pointer, name))


def _suggest(name: str, states: dict) -> str:
    lowered = {str(s).lower(): s for s in states}
    match = lowered.get(name.lower().strip())
    return f" (did you mean {match!r}?)" if match is not None else ""
