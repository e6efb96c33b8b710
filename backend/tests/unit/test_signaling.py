"""Signaling decisions that need no I/O: parsing, rate limiting, close codes, permissions."""

from __future__ import annotations

import json
import uuid

import pytest

from rapat.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
    Unavailable,
)
from rapat.domain.permissions import Role
from rapat.services.room_settings import RoomSettings
from rapat.signaling import messages as m
from rapat.signaling.close_codes import close_code_for
from rapat.signaling.envelope import BusMessage
from rapat.signaling.messages import ProtocolError, parse_client_message
from rapat.signaling.rate import TokenBucket
from rapat.signaling.rules import check_allowed

LIMIT = 64 * 1024


def parse(document: object) -> m.ClientMessage:
    return parse_client_message(json.dumps(document), LIMIT)


def refusal(raw: str | bytes, limit: int = LIMIT) -> ProtocolError:
    with pytest.raises(ProtocolError) as error:
        parse_client_message(raw, limit)
    return error.value


def test_every_client_message_parses_into_its_type() -> None:
    peer = str(uuid.uuid4())
    cases: list[tuple[dict[str, object], type]] = [
        ({"type": "join_room"}, m.JoinRoom),
        ({"type": "leave_room", "data": {}}, m.LeaveRoom),
        ({"type": "chat", "id": "1", "data": {"text": "hi"}}, m.Chat),
        ({"type": "offer", "data": {"to": peer, "sdp": "v=0"}}, m.Offer),
        ({"type": "answer", "data": {"to": peer, "sdp": "v=0"}}, m.Answer),
        (
            {"type": "ice-candidate", "data": {"to": peer, "candidate": {"candidate": ""}}},
            m.IceCandidate,
        ),
        ({"type": "mute", "data": {"muted": True}}, m.Mute),
        ({"type": "video", "data": {"enabled": False}}, m.Video),
        ({"type": "screen_share", "data": {"active": True}}, m.ScreenShare),
        ({"type": "recording", "data": {"active": True}}, m.Recording),
        ({"type": "video_visibility", "data": {"hidden": [f"{peer}:camera"]}}, m.VideoVisibility),
        ({"type": "raise_hand", "data": {"raised": True}}, m.RaiseHand),
        ({"type": "mute_participant", "data": {"userId": peer}}, m.MuteParticipant),
        ({"type": "remove_participant", "data": {"userId": peer}}, m.RemoveParticipant),
        ({"type": "end_room", "data": None}, m.EndRoom),
        ({"type": "ping"}, m.Ping),
        ({"type": "refresh_token", "data": {"token": "t"}}, m.RefreshToken),
    ]
    for document, kind in cases:
        assert type(parse(document)) is kind


def test_refusals_say_what_is_wrong_and_keep_the_id() -> None:
    assert refusal("{nope").code == "invalid_json"
    assert refusal(b"\xff\xfe").code == "invalid_json"
    assert refusal("[1, 2]").code == "invalid_message"
    unknown = refusal(json.dumps({"type": "fly", "id": "a"}))
    assert (unknown.code, unknown.message_id) == ("unknown_type", "a")
    wrong = refusal(json.dumps({"type": "mute", "id": "b", "data": {"muted": "yes"}}))
    assert (wrong.code, wrong.message_id) == ("invalid_message", "b")
    assert "muted" in wrong.message
    extra = refusal(json.dumps({"type": "ping", "data": {"x": 1}}))
    assert extra.code == "invalid_message"
    assert refusal(json.dumps({"type": "chat", "data": {"text": ""}})).code == "invalid_message"
    assert refusal(json.dumps({"type": "chat", "data": {"text": "x" * 4001}})).code == (
        "invalid_message"
    )
    assert refusal("x" * 2000, limit=1024).code == "too_large"


def test_hidden_videos_are_named_by_person_and_source() -> None:
    peer = uuid.uuid4()
    message = parse(
        {
            "type": "video_visibility",
            "data": {"hidden": [f"{str(peer).upper()}:camera", f"{peer}:screen"]},
        }
    )
    assert isinstance(message, m.VideoVisibility)
    assert message.data.hidden == [f"{peer}:camera", f"{peer}:screen"]  # canonical ids
    assert parse({"type": "video_visibility", "data": {"hidden": []}})  # all shown
    for bad in ([f"{peer}:microphone"], ["someone:camera"], [f"{peer}"], [3]):
        wrong = refusal(
            json.dumps({"type": "video_visibility", "id": "v", "data": {"hidden": bad}})
        )
        assert (wrong.code, wrong.message_id) == ("invalid_message", "v")
        assert wrong.message.startswith("data.hidden.0")
    assert (
        "'<user id>:camera'"
        in refusal(
            json.dumps({"type": "video_visibility", "data": {"hidden": ["x:camera"]}})
        ).message
    )
    too_many = [f"{uuid.uuid4()}:camera" for _ in range(m.MAX_HIDDEN_VIDEOS + 1)]
    assert refusal(json.dumps({"type": "video_visibility", "data": {"hidden": too_many}})).code == (
        "invalid_message"
    )
    assert refusal(json.dumps({"type": "video_visibility", "data": {}})).code == "invalid_message"


def test_tile_sizes_come_with_the_hidden_set_keyed_by_video() -> None:
    peer = uuid.uuid4()
    message = parse(
        {
            "type": "video_visibility",
            "data": {"hidden": [], "sizes": {f"{str(peer).upper()}:camera": [320, 180]}},
        }
    )
    assert isinstance(message, m.VideoVisibility)
    assert message.data.sizes == {f"{peer}:camera": (320, 180)}
    assert parse({"type": "video_visibility", "data": {"hidden": []}}).data.sizes == {}  # type: ignore[union-attr]
    for bad in ({"x:camera": [1, 1]}, {f"{peer}:camera": [1]}, {f"{peer}:camera": [-1, 5]}):
        wrong = json.dumps({"type": "video_visibility", "data": {"hidden": [], "sizes": bad}})
        assert refusal(wrong).code == "invalid_message"


@pytest.mark.parametrize(
    "candidate",
    [
        {"candidate": "candidate:1 1 udp 2122 192.0.2.1 5000 typ host", "sdpMid": "0"},
        {"candidate": "", "sdpMid": None, "sdpMLineIndex": None, "usernameFragment": None},
        {"candidate": "x", "sdpMLineIndex": 3, "usernameFragment": "abcd"},
    ],
)
def test_browser_candidates_pass_as_sent(candidate: dict[str, object]) -> None:
    message = parse({"type": "ice-candidate", "data": {"candidate": candidate}})
    assert isinstance(message, m.IceCandidate)
    assert message.data.candidate == candidate


@pytest.mark.parametrize(
    ("candidate", "words"),
    [
        ({"sdpMid": "0"}, "'candidate' line"),
        ({"candidate": "x" * 1025}, "at most 1024"),
        ({"candidate": 5}, "a string"),
        ({"candidate": "x", "sdpMid": "m" * 65}, "sdpMid"),
        ({"candidate": "x", "sdpMLineIndex": -1}, "sdpMLineIndex"),
        ({"candidate": "x", "sdpMLineIndex": True}, "sdpMLineIndex"),
        ({"candidate": "x", "extra": {"deep": [1, 2]}}, "unknown candidate field"),
    ],
)
def test_malformed_candidates_are_refused(candidate: dict[str, object], words: str) -> None:
    document = {"type": "ice-candidate", "id": "c", "data": {"candidate": candidate}}
    refused = refusal(json.dumps(document))
    assert (refused.code, refused.message_id) == ("invalid_message", "c")
    assert words in refused.message


def test_the_bucket_allows_bursts_then_the_average_rate() -> None:
    bucket = TokenBucket(rate=2.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.4) is False
    assert bucket.take(0.5) is True
    assert bucket.take(100.0) is True  # refills up to the burst, not beyond
    assert [bucket.take(100.0) for _ in range(3)] == [True, True, False]
    with pytest.raises(ValueError, match="rate"):
        TokenBucket(rate=0, burst=1, now=0.0)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (Unauthenticated("x"), 4401),
        (Forbidden("x", code="not_in_room"), 4403),
        (NotFound("x", code="room_not_found"), 4404),
        (Conflict("x", code="room_full"), 4409),
        (Conflict("x", code="room_ended"), 4410),
        (Conflict("x", code="room_cancelled"), 4410),
        (InvalidInput("x"), 4400),
        (Unavailable("x"), 1013),
        (DomainError("x"), 1011),
    ],
)
def test_domain_errors_map_to_close_codes(error: DomainError, code: int) -> None:
    assert close_code_for(error) == code


def _may(role: Role, document: dict[str, object], **settings: bool) -> bool:
    try:
        check_allowed(role, parse(document), RoomSettings(**settings))
    except Forbidden:
        return False
    return True


def test_observers_watch_participants_speak_leaders_control() -> None:
    unmute = {"type": "mute", "data": {"muted": False}}
    mute = {"type": "mute", "data": {"muted": True}}
    camera_on = {"type": "video", "data": {"enabled": True}}
    share = {"type": "screen_share", "data": {"active": True}}
    record = {"type": "recording", "data": {"active": True}}
    control = {"type": "mute_participant", "data": {"userId": str(uuid.uuid4())}}
    end = {"type": "end_room"}
    chat = {"type": "chat", "data": {"text": "hi"}}
    assert not _may(Role.OBSERVER, unmute)
    assert not _may(Role.OBSERVER, camera_on)
    assert not _may(Role.OBSERVER, share)
    assert not _may(Role.OBSERVER, chat)
    assert _may(Role.OBSERVER, mute)
    assert _may(Role.PARTICIPANT, unmute)
    assert _may(Role.PARTICIPANT, share)
    assert not _may(Role.PARTICIPANT, share, allow_screen_share=False)
    assert not _may(Role.PARTICIPANT, chat, allow_chat=False)
    assert _may(Role.MODERATOR, chat, allow_chat=False)
    for leader_only in (control, end):
        assert not _may(Role.PARTICIPANT, leader_only)
        assert _may(Role.MODERATOR, leader_only)
        assert _may(Role.HOST, leader_only)
    # Recording: hosts only, until a room setting lets moderators record too.
    assert _may(Role.HOST, record)
    assert not _may(Role.MODERATOR, record)
    assert not _may(Role.PARTICIPANT, record)


def test_bus_messages_survive_the_round_trip() -> None:
    message = BusMessage({"type": "chat", "data": {"text": "é"}}, to="u1", connection="c")
    assert BusMessage.decode(message.encode()) == message
