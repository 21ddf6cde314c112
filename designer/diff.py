"""A structured diff of two ASL definitions: states added, removed and changed, field by field.

States are matched by name across the whole machine (names are unique in ASL, nested ones too), so a
state that moved into a Parallel branch shows as changed where it sits, not as removed and added.
"""

from __future__ import annotations

from typing import Any

_NESTED = ("Branches", "ItemProcessor", "Iterator")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def flatten_states(definition: dict) -> dict[str, tuple[str, dict]]:
    """Every state of the machine by name, with its JSON pointer; nested machines walked too."""
    found: dict[str, tuple[str, dict]] = {}

    def walk(machine: Any, prefix: str) -> None:
        states = machine.get("States") if isinstance(machine, dict) else None
        if not isinstance(states, dict):
            return
        for name, state in states.items():
            pointer = f"{prefix}/States/{_escape(name)}"
            found.setdefault(name, (pointer, state))
            if not isinstance(state, dict):
                continue
            for index, branch in enumerate(state.get("Branches") or []):
                walk(branch, f"{pointer}/Branches/{index}")
            for key in ("ItemProcessor", "Iterator"):
                if isinstance(state.get(key), dict):
                    walk(state[key], f"{pointer}/{key}")

    walk(definition, "")
    return found


def _own_fields(state: Any) -> Any:
    """A state without its nested machines' States: those are diffed as states of their own."""
    if not isinstance(state, dict):
        return state
    own = dict(state)
    if isinstance(own.get("Branches"), list):
        own["Branches"] = [
            {k: v for k, v in b.items() if k != "States"} if isinstance(b, dict) else b for b in own["Branches"]
        ]
    for key in ("ItemProcessor", "Iterator"):
        if isinstance(own.get(key), dict):
            own[key] = {k: v for k, v in own[key].items() if k != "States"}
    return own


def diff_values(before: Any, after: Any, pointer: str = "") -> list[dict[str, Any]]:
    """Field-level changes from `before` to `after`, each with its JSON pointer."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[dict[str, Any]] = []
        for key in list(before) + [k for k in after if k not in before]:
            where = f"{pointer}/{_escape(str(key))}"
            if key not in after:
                changes.append({"pointer": where, "before": before[key], "after": None, "kind": "removed"})
            elif key not in before:
                changes.append({"pointer": where, "before": None, "after": after[key], "kind": "added"})
            else:
                changes.extend(diff_values(before[key], after[key], where))
        return changes
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            c for i, (b, a) in enumerate(zip(before, after, strict=True)) for c in diff_values(b, a, f"{pointer}/{i}")
        ]
    if before == after and type(before) is type(after):
        return []
    return [{"pointer": pointer or "/", "before": before, "after": after, "kind": "changed"}]


def diff_definitions(before: dict, after: dict) -> dict[str, Any]:
    old, new = flatten_states(before), flatten_states(after)
    changed = []
    for name in old.keys() & new.keys():
        changes = diff_values(_own_fields(old[name][1]), _own_fields(new[name][1]), new[name][0])
        if old[name][0] != new[name][0]:
            changes.insert(0, {"pointer": new[name][0], "before": old[name][0], "after": new[name][0], "kind": "moved"})
        if changes:
            changed.append({"state": name, "changes": changes})
    top_before = {k: v for k, v in before.items() if k != "States"}
    top_after = {k: v for k, v in after.items() if k != "States"}
    return {
        "added": [name for name in new if name not in old],
        "removed": [name for name in old if name not in new],
        "changed": sorted(changed, key=lambda c: list(new).index(c["state"])),
        "top_level": diff_values(top_before, top_after),
    }
