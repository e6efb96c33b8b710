"""The web app's signaling types name the same messages as the server's.

`frontend/src/api/signaling-types.ts` lists every message type it knows in two objects,
`CLIENT_MESSAGE_TYPE_SET` and `SERVER_EVENT_TYPE_SET`, which the TypeScript compiler holds to
its `ClientMessage` and `ServerEvent` unions. These tests hold the same lists to the server's
`ClientMessage` union and `ServerEvent` literal, both ways.
"""

import re
import typing
from pathlib import Path

import pytest

from rapat.signaling import messages

SIGNALING_TYPES = Path(__file__).resolve().parents[3] / "frontend/src/api/signaling-types.ts"

# Sent between one person's connections on the server only; the web app never receives it.
SERVER_ONLY_EVENTS = {"replaced"}

_KEY = re.compile(r"^\s*'?([A-Za-z0-9_-]+)'?\s*:\s*true,?\s*$")


def frontend_types(const_name: str, source: str) -> set[str]:
    """The keys of `const <const_name>: Record<…, true> = { … };` in the TypeScript source."""
    block = re.search(rf"const {const_name}\b[^=]*=\s*\{{\n(.*?)\n\}};", source, re.DOTALL)
    if block is None:
        raise AssertionError(f"{const_name} not found in {SIGNALING_TYPES.name}")
    keys: set[str] = set()
    for line in block.group(1).splitlines():
        match = _KEY.match(line)
        if match is None:
            raise AssertionError(f"{const_name}: cannot read the line {line!r}")
        keys.add(match.group(1))
    return keys


def server_client_types() -> set[str]:
    union = typing.get_args(messages.ClientMessage)[0]
    types: set[str] = set()
    for model in typing.get_args(union):
        types.update(typing.get_args(model.model_fields["type"].annotation))
    return types


def server_event_types() -> set[str]:
    return set(typing.get_args(messages.ServerEvent)) - SERVER_ONLY_EVENTS


def difference(server: set[str], frontend: set[str]) -> str:
    return (
        f"only the server has {sorted(server - frontend)}; "
        f"only signaling-types.ts has {sorted(frontend - server)}"
    )


@pytest.fixture(scope="module")
def source() -> str:
    return SIGNALING_TYPES.read_text(encoding="utf-8")


def test_client_messages_match(source: str) -> None:
    frontend = frontend_types("CLIENT_MESSAGE_TYPE_SET", source)
    server = server_client_types()
    assert frontend == server, difference(server, frontend)


def test_server_events_match(source: str) -> None:
    frontend = frontend_types("SERVER_EVENT_TYPE_SET", source)
    server = server_event_types()
    assert frontend == server, difference(server, frontend)


def test_the_reader_finds_quoted_and_bare_keys() -> None:
    source = "const X_SET: Record<T, true> = {\n  a_b: true,\n  'c-d': true,\n};\n"
    assert frontend_types("X_SET", source) == {"a_b", "c-d"}
