"""What text Rapat accepts from people, decided once for every edge (request bodies, URLs,
signaling). Two rules:

- Storable: no NUL (PostgreSQL's text cannot hold it) and no unpaired surrogate (not
  Unicode, cannot be encoded as UTF-8). Every string from a client obeys this.
- Displayed to others (names, room names, descriptions, chat): additionally no control
  characters (a description and a chat line may hold tabs and line breaks) and no
  bidirectional embedding, override or isolate characters, which can make a name or a
  line read as something else ("Trojan Source"). Left-to-right and right-to-left marks stay
  allowed: they only steer neutral characters, and right-to-left names need them.

Refused, never stripped: the sender sees what was wrong and nothing is silently altered."""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # \t \n \r allowed
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def storable_problem(value: str) -> str | None:
    """Why a database could not keep this string as sent, or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "must not contain the NUL character"
    return "must not contain an unpaired surrogate (it is not valid Unicode)"


def display_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why this string may not be shown to other people as it is, or None."""
    problem = storable_problem(value)
    if problem is not None:
        return problem
    control = _CONTROL_TEXT if multiline else _CONTROL_LINE
    if control.search(value):
        return "must not contain control characters"
    if _BIDI_CONTROL.search(value):
        return "must not contain bidirectional override, embedding or isolate characters"
    return None


def first_storable_problem(value: object) -> str | None:
    """`storable_problem` of the first string inside a value (dict keys and values,
    list items, however deeply nested: walked without recursion) that has one, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = storable_problem(item)
            if problem is not None:
                return problem
        elif isinstance(item, dict):
            for key, inner in item.items():
                stack.extend((inner, key))
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
    return None


def require_storable(value: object) -> object:
    """`value` unchanged, or ValueError saying why a string inside it cannot be stored (the
    form pydantic validators raise)."""
    problem = first_storable_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def require_line(value: str) -> str:
    """One line others will read (a name, a room's name), or ValueError saying why not."""
    problem = display_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def require_text(value: str) -> str:
    """Text others will read over several lines (a description, a chat line), or
    ValueError saying why not."""
    problem = display_problem(value, multiline=True)
    if problem is not None:
        raise ValueError(problem)
    return value
