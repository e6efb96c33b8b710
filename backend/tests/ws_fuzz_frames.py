"""Bad WebSocket frames for the signaling fuzzer, each with the answer the protocol
documents for it (docs/signaling.md, "Answers").

The schema mutations are derived from the client message union in
`rapat.signaling.messages`: every message type, every field of its `data`, each JSON kind
the field does not take, each missing required field, an unknown field, strings past their
bounds and text the database cannot store. A message added to the union is fuzzed without
touching this file (unless the valid example derived from its schema is not valid: then
`VALID_DATA` needs an entry, and `test_ws_fuzz_frames` says so).
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from rapat.signaling import messages as m

SIGNALING_DOC = Path(__file__).resolve().parents[2] / "docs" / "signaling.md"
MAX_BYTES = 256 * 1024  # RAPAT_WS_MAX_MESSAGE_BYTES in the fuzz tests (the default)
DEEP = 50_000  # nesting far past Python's recursion limit

# One value of each JSON kind, to put where another kind belongs.
KIND_SAMPLES: dict[str, Any] = {
    "null": None,
    "boolean": True,
    "integer": 7,
    "number": 2.5,
    "string": "x",
    "array": [],
    "object": {},
}

# Valid `data` where the schema alone cannot give one (free-form objects).
VALID_DATA: dict[str, dict[str, Any]] = {
    "ice-candidate": {"candidate": {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}},
}

# RTCIceCandidateInit is checked by a validator, not described by the schema.
BAD_CANDIDATES: tuple[Any, ...] = (
    {},
    {"sdpMid": "0"},
    {"candidate": 1},
    {"candidate": None},
    {"candidate": "", "unknown": 1},
    {"candidate": "", "sdpMLineIndex": True},
    {"candidate": "", "sdpMLineIndex": -1},
    {"candidate": "", "sdpMLineIndex": m.MAX_M_LINE_INDEX + 1},
    {"candidate": "", "sdpMLineIndex": 1.5},
    {"candidate": "a" * 1025},
    {"candidate": "", "sdpMid": "m" * 65},
    {"candidate": "", "usernameFragment": ["u"]},
    {"candidate": "", "sdpMid": {"nested": "\x00"}},
)


def documented_codes() -> set[str]:
    """Every name quoted in docs/signaling.md, as `code` or "code" (in an example)."""
    return set(re.findall(r"[`\"]([a-z][a-z_]*)[`\"]", SIGNALING_DOC.read_text()))


@dataclass(frozen=True, slots=True)
class BadFrame:
    label: str
    frame: str | bytes
    code: str  # the documented error code of the answer
    id: str | None = None  # the id the answer must carry (None: no id could be read)


def client_messages() -> dict[str, type[BaseModel]]:
    """Every client message model by its `type`, read from the union."""
    union = typing.get_args(typing.get_args(m.ClientMessage)[0])
    found: dict[str, type[BaseModel]] = {}
    for model in union:
        (kind,) = typing.get_args(model.model_fields["type"].annotation)
        found[kind] = model
    return found


def data_model(message: type[BaseModel]) -> type[BaseModel]:
    annotation = message.model_fields["data"].annotation
    assert isinstance(annotation, type)
    assert issubclass(annotation, BaseModel)
    return annotation


def _kinds(schema: dict[str, Any]) -> set[str]:
    """The JSON kinds a property takes ("integer" is also a "number")."""
    options = schema.get("anyOf", [schema])
    kinds = {option.get("type", "object") for option in options}
    return kinds | {"integer"} if "number" in kinds else kinds


def _example(schema: dict[str, Any]) -> Any:
    """A valid value for one property of a generated schema."""
    option = next(o for o in schema.get("anyOf", [schema]) if o.get("type") != "null")
    kind = option.get("type", "object")
    if kind == "string":
        if option.get("format") == "uuid":
            return "0b8f3c4e-5a55-4c6e-9a8d-2f1f2c1d0e9a"
        return "a" * max(1, option.get("minLength", 1))
    return {"boolean": True, "integer": 0, "number": 0, "object": {}, "array": []}[kind]


def valid_data(kind: str, model: type[BaseModel]) -> dict[str, Any]:
    """A valid `data` for a message type: from its schema, or from `VALID_DATA`."""
    if kind in VALID_DATA:
        return VALID_DATA[kind]
    schema = model.model_json_schema(by_alias=True)
    properties: dict[str, Any] = schema.get("properties", {})
    return {name: _example(properties[name]) for name in schema.get("required", [])}


def _frame(kind: str, data: Any, message_id: str, **envelope: Any) -> str:
    return json.dumps({"type": kind, "id": message_id, "data": data, **envelope})


def _field_values(schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Values a property refuses: other JSON kinds, strings past their bounds or with
    text the database cannot store."""
    kinds = _kinds(schema)
    for kind, sample in KIND_SAMPLES.items():
        if kind not in kinds:
            yield f"a {kind}", sample
    if kinds == {"boolean"}:  # what a lax parser would take for a flag
        yield from (("1", 1), ("the string 'true'", "true"))
    if "string" not in kinds:
        return
    string = next(o for o in schema.get("anyOf", [schema]) if o.get("type") == "string")
    if string.get("format") == "uuid":
        yield "not a uuid", "not-a-uuid"
    if string.get("minLength", 0) > 0:
        yield "empty", ""
    longest = string.get("maxLength")
    if longest is not None and longest + 1024 < MAX_BYTES:
        yield "too long", "a" * (longest + 1)
    yield "a NUL", "a\x00b"
    yield "a lone surrogate", "a\ud800b"  # json.dumps sends it escaped, as a browser would


def _data_mutations(kind: str, model: type[BaseModel]) -> Iterator[tuple[str, Any]]:
    """`data` for one message type, each wrong in one place: (what is wrong, data)."""
    base = valid_data(kind, model)
    try:  # then each mutation is the frame's only problem
        model.model_validate(base)
    except ValidationError as error:
        raise AssertionError(f"add a valid example for {kind!r} to VALID_DATA") from error
    schema = model.model_json_schema(by_alias=True)
    properties: dict[str, Any] = schema.get("properties", {})
    required: list[str] = schema.get("required", [])
    for name, prop in properties.items():
        for label, value in _field_values(prop):
            yield f"{name} is {label}", {**base, name: value}
    for name in required:
        yield f"{name} missing", {key: value for key, value in base.items() if key != name}
    yield "an unknown data field", {**base, "zz_unknown": 1}
    for label, value in KIND_SAMPLES.items():
        if label != "object" and (label != "null" or required):  # null data = no data
            yield f"data is {label}", value


def schema_mutations() -> Iterator[BadFrame]:
    """Every known message type made invalid in one place at a time."""
    for kind, message in client_messages().items():
        model = data_model(message)
        for number, (label, data) in enumerate(_data_mutations(kind, model)):
            answer_id = f"{kind}-{number}"
            frame = _frame(kind, data, answer_id)
            yield BadFrame(f"{kind}: {label}", frame, "invalid_message", answer_id)
        yield from _envelope_mutations(kind, valid_data(kind, model))
    for number, candidate in enumerate(BAD_CANDIDATES):
        frame = _frame("ice-candidate", {"candidate": candidate}, f"cand-{number}")
        yield BadFrame(f"candidate {candidate!r:.60}", frame, "invalid_message", f"cand-{number}")


def _envelope_mutations(kind: str, base: dict[str, Any]) -> Iterator[BadFrame]:
    yield BadFrame(
        f"{kind}: an unknown envelope field",
        _frame(kind, base, f"{kind}-env", to="someone"),
        "invalid_message",
        f"{kind}-env",
    )
    for label, value in (("a number", 5), ("a list", ["x"]), ("too long", "i" * 65)):
        frame = json.dumps({"type": kind, "id": value, "data": base})
        yield BadFrame(f"{kind}: id is {label}", frame, "invalid_message")


def not_json() -> Iterator[BadFrame]:
    for frame in (
        "",
        " ",
        "{",
        "}",
        '{"type": "ping"',
        "ping",
        "{'type': 'ping'}",
        "[1,]",
        '"unterminated',
        '{"type": "ping",}',
        "tru",
        "01",
        '{"type": "ping"} x',
        "\x00",
        '{"type": "ping", "id": 1' + "0" * 5000 + "}",
    ):
        yield BadFrame(f"not JSON: {frame[:30]!r}", frame, "invalid_json")


def not_objects() -> Iterator[BadFrame]:
    for frame in (
        "1",
        '"ping"',
        "null",
        "true",
        "[]",
        '[{"type": "ping"}]',
        "NaN",
        "-Infinity",
        "1e999",
        '"\\u0000"',
    ):
        yield BadFrame(f"JSON, not an object: {frame}", frame, "invalid_message")


def unknown_types() -> Iterator[BadFrame]:
    client_types = set(client_messages())
    server_only = [kind for kind in typing.get_args(m.ServerEvent) if kind not in client_types]
    kinds: list[Any] = [
        *server_only,
        "nope",
        "PING",
        "ping ",
        "",
        None,
        1,
        True,
        ["ping"],
        {"ping": 1},
        "t" * 10_000,
        "\x00",
        "\ud800",
    ]
    for number, kind in enumerate(kinds):
        frame = json.dumps({"type": kind, "id": f"type-{number}"})
        yield BadFrame(f"unknown type {kind!r:.40}", frame, "unknown_type", f"type-{number}")
    yield BadFrame("no type", json.dumps({"id": "no-type", "data": {}}), "unknown_type", "no-type")


def oversized() -> Iterator[BadFrame]:
    padded = '{"type": "ping"}' + " " * MAX_BYTES  # valid JSON, too many bytes
    yield BadFrame("oversized text", padded, "too_large")
    wide = json.dumps(
        {"type": "chat", "data": {"text": "é" * (MAX_BYTES // 2)}}, ensure_ascii=False
    )
    yield BadFrame("oversized in bytes, not characters", wide, "too_large")
    yield BadFrame("oversized binary", padded.encode(), "too_large")


def deeply_nested() -> Iterator[BadFrame]:
    yield BadFrame("deep arrays", "[" * DEEP + "]" * DEEP, "invalid_json")
    depth = DEEP // 5  # objects take more bytes per level than arrays
    deep_data = '{"type": "ping", "data": ' + '{"a": ' * depth + "1" + "}" * (depth + 1)
    yield BadFrame("deep data", deep_data, "invalid_json")
    deep_id = '{"type": "ping", "id": ' + "[" * DEEP + "]" * DEEP + "}"
    yield BadFrame("deep id", deep_id, "invalid_json")
    shallow = '{"type": "chat", "id": "shallow", "data": {"text": ' + "[" * 200 + "]" * 200 + "}}"
    yield BadFrame("nested, but readable", shallow, "invalid_message", "shallow")


def binary() -> Iterator[BadFrame]:
    for frame in (b"", b"\x00\x01\xff", b"\x80", b"\xc3\x28", b"\xff\xfe\x00\x00", b"\xed\xa0\x80"):
        yield BadFrame(f"binary {frame!r}", frame, "invalid_json")
    yield BadFrame("binary JSON, not an object", b"[1, 2]", "invalid_message")
    yield BadFrame("binary, unknown type", b'{"type": "nope", "id": "b"}', "unknown_type", "b")


def raw_surrogates() -> Iterator[BadFrame]:
    """Text frames holding a lone surrogate unescaped: the network's UTF-8 check stops
    them before the app, but the app must not depend on it."""
    yield BadFrame("raw surrogate, not JSON", "\ud800", "invalid_json")
    chat = '{"type": "chat", "id": "raw", "data": {"text": "a\ud800"}}'
    yield BadFrame("raw surrogate in chat", chat, "invalid_message", "raw")


def every_bad_frame() -> list[BadFrame]:
    """The deterministic part of the fuzz: every category, every message type."""
    return [
        *not_json(),
        *not_objects(),
        *unknown_types(),
        *schema_mutations(),
        *oversized(),
        *deeply_nested(),
        *binary(),
        *raw_surrogates(),
    ]


def expected_code(frame: str | bytes) -> str | None:
    """The answer to a frame that holds no message of a known type; None when it might."""
    size = len(frame.encode("utf-8", "surrogatepass") if isinstance(frame, str) else frame)
    if size > MAX_BYTES:
        return "too_large"
    try:
        document = json.loads(frame)
    except (ValueError, RecursionError):
        return "invalid_json"
    if not isinstance(document, dict):
        return "invalid_message"
    if document.get("type") not in client_messages():
        return "unknown_type"
    return None


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def _garbage(draw: st.DrawFn) -> BadFrame:
    """Text, bytes, and JSON of any shape, judged by `expected_code`."""
    documents = st.dictionaries(st.text(max_size=8), _JSON, max_size=5).map(json.dumps)
    frame: str | bytes = draw(
        st.one_of(st.text(max_size=200), st.binary(max_size=200), _JSON.map(json.dumps), documents)
    )
    code = expected_code(frame)
    assume(code is not None)
    return BadFrame("random", frame, str(code))


@st.composite
def _known_type_with_an_unknown_field(draw: st.DrawFn) -> BadFrame:
    kind = draw(st.sampled_from(sorted(client_messages())))
    data = draw(st.dictionaries(st.text(max_size=8), _JSON, max_size=4))
    frame = json.dumps({"type": kind, "data": {**data, "zz_unknown": draw(_JSON)}})
    return BadFrame(f"random {kind}", frame, "invalid_message")


def random_frames() -> st.SearchStrategy[BadFrame]:
    """Random garbage, and known message types whose data has a field no message takes."""
    return st.one_of(_garbage(), _known_type_with_an_unknown_field())
