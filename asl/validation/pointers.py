"""JSON pointers (RFC 6901): build, split, and find the state a pointer lies in."""

from __future__ import annotations


def join(pointer: str, token: str | int) -> str:
    token = str(token)
    if "~" in token or "/" in token:
        token = token.replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{token}"


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


_NESTED = ("Iterator", "ItemProcessor")


def state_of(pointer: str) -> str | None:
    """The innermost state a pointer is in: /States/A/Branches/0/States/B/Next -> B."""
    tokens = split(pointer)
    state = None
    i = 0
    while i + 1 < len(tokens) and tokens[i] == "States":
        state = tokens[i + 1]
        i += 2
        if i < len(tokens) and tokens[i] in _NESTED:
            i += 1
        elif i + 1 < len(tokens) and tokens[i] == "Branches":
            i += 2
        else:
            break
    return state
