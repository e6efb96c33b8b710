"""The fuzzer's frames against the signaling parser itself (fast: no socket), and the
documented answers: every code the code can answer with is in docs/signaling.md."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from rapat.signaling.messages import (
    PROTOCOL_ERROR_CODES,
    ProtocolError,
    parse_client_message,
    request_id_of,
)
from rapat.signaling.user_endpoint import USER_CHANNEL_ERROR_CODES
from tests.ws_fuzz_frames import (
    DEEP,
    MAX_BYTES,
    BadFrame,
    client_messages,
    documented_codes,
    every_bad_frame,
    random_frames,
)


def refusal(frame: str | bytes) -> ProtocolError:
    with pytest.raises(ProtocolError) as refused:
        parse_client_message(frame, MAX_BYTES)
    return refused.value


def test_every_answer_code_is_documented() -> None:
    documented = documented_codes()
    assert documented >= PROTOCOL_ERROR_CODES
    assert documented >= USER_CHANNEL_ERROR_CODES


def test_every_message_type_is_fuzzed() -> None:
    labels = {frame.label.partition(":")[0] for frame in every_bad_frame()}
    assert set(client_messages()) <= labels


@pytest.mark.parametrize("bad", every_bad_frame(), ids=lambda bad: bad.label[:60])
def test_each_bad_frame_is_refused_as_documented(bad: BadFrame) -> None:
    error = refusal(bad.frame)
    assert (error.code, error.message_id) == (bad.code, bad.id)
    assert error.code in PROTOCOL_ERROR_CODES
    assert len(error.message) < 200  # says what is wrong without echoing the frame


@settings(derandomize=True, max_examples=400, deadline=None, database=None)
@given(random_frames())
def test_random_frames_are_refused_as_documented(bad: BadFrame) -> None:
    assert refusal(bad.frame).code == bad.code


def test_a_raw_surrogate_in_a_text_frame_is_refused_not_failed_on() -> None:
    # Found by the fuzzer: measuring the frame raised UnicodeEncodeError (a 1011 close).
    frame = '{"type": "chat", "id": "s", "data": {"text": "a\ud800"}}'
    error = refusal(frame)
    assert (error.code, error.message_id) == ("invalid_message", "s")


def test_refusals_quote_a_client_value_only_briefly() -> None:
    # Found by the fuzzer: a 200 KB unknown type came back whole in the error message.
    error = refusal(json.dumps({"type": "t" * 200_000}))
    assert error.code == "unknown_type"
    assert len(error.message) < 200
    error = refusal(json.dumps({"type": "ping", "data": {"k" * 200_000: 1}}))
    assert error.code == "invalid_message"
    assert len(error.message) < 200


def test_the_id_of_a_rate_limited_frame_is_read_safely() -> None:
    # Found by the fuzzer: a deeply nested frame under 4 KiB raised RecursionError here,
    # and a rate-limited socket closed with 1011.
    assert request_id_of("[" * 4000) is None
    assert request_id_of(b"\xff\xfe") is None
    assert request_id_of('{"type": "ping", "id": "p"}') == "p"
    assert request_id_of(json.dumps({"id": "p", "pad": "x" * 5000})) is None  # too big to read
    assert request_id_of("[" * DEEP) is None
