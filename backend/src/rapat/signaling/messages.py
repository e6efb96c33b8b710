"""Every message a client may send, as one union discriminated on `type`, and the
envelope of every message the server sends."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from rapat.domain.text import require_storable, require_text

MAX_CHAT_CHARS = 4000
MAX_ID_CHARS = 64
MAX_SDP_CHARS = 250_000  # a browser re-offers every m-line: ~1 KB per track it receives
MAX_ECHO_CHARS = 80  # of a client's value quoted back in an error message

# JSON true/false only: "yes" or 1 is a client bug worth reporting, not a guess.
Flag = Annotated[bool, Strict()]


class _Strict(BaseModel):
    """Unknown fields are refused, and so is any string the database could not store
    (NUL, an unpaired surrogate), wherever it sits in the message."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _only_storable_text(cls, value: Any) -> Any:
        return require_storable(value)


class Empty(_Strict):
    pass


class ChatData(_Strict):
    text: Annotated[
        str, Field(min_length=1, max_length=MAX_CHAT_CHARS), AfterValidator(require_text)
    ]


class SdpData(_Strict):
    to: uuid.UUID | None = None  # None: to the SFU; a user id: relayed peer-to-peer
    sdp: str = Field(min_length=1, max_length=MAX_SDP_CHARS)


# RTCIceCandidateInit, as a browser's `candidate.toJSON()` gives it: each key's type and
# the size of each string are checked before it reaches the SFU or another browser.
_CANDIDATE_FIELDS: dict[str, int] = {
    "candidate": 1024,  # "" is the end-of-candidates marker
    "sdpMid": 64,
    "usernameFragment": 256,
}
MAX_M_LINE_INDEX = 1024


def _ice_candidate(value: dict[str, Any]) -> dict[str, Any]:
    if "candidate" not in value:
        raise ValueError("a candidate needs its 'candidate' line")
    for key, item in value.items():
        if key == "sdpMLineIndex":
            if item is not None and (
                isinstance(item, bool)
                or not isinstance(item, int)
                or not 0 <= item <= MAX_M_LINE_INDEX
            ):
                raise ValueError(f"sdpMLineIndex must be null or 0..{MAX_M_LINE_INDEX}")
            continue
        if key not in _CANDIDATE_FIELDS:
            raise ValueError(f"unknown candidate field {key[:40]!r}")
        longest = _CANDIDATE_FIELDS[key]
        if item is None and key != "candidate":
            continue
        if not isinstance(item, str) or len(item) > longest:
            raise ValueError(f"{key} must be a string of at most {longest} characters")
    return value


class CandidateData(_Strict):
    to: uuid.UUID | None = None
    candidate: Annotated[dict[str, Any], AfterValidator(_ice_candidate)]


class MutedData(_Strict):
    muted: Flag


class EnabledData(_Strict):
    enabled: Flag


class ActiveData(_Strict):
    active: Flag


class ScreenData(_Strict):
    active: Flag
    # The id of the MediaStreamTrack that carries the screen, so the SFU can tell it
    # from the camera when the offer arrives.
    track_id: str | None = Field(default=None, min_length=1, max_length=128)


class JoinData(_Strict):
    media: Flag = False  # start this participant's media session (receive at least)


class RaisedData(_Strict):
    raised: Flag


MAX_HIDDEN_VIDEOS = 256
MAX_TILE_PIXELS = 16384
VIDEO_SOURCES = ("camera", "screen")


def _video_name(value: str) -> str:
    """`<user id>:camera` or `<user id>:screen`, the user id in its canonical form."""
    user, _, source = value.partition(":")
    try:
        canonical = str(uuid.UUID(user))
    except ValueError:
        canonical = ""
    if not canonical or source not in VIDEO_SOURCES:
        raise ValueError("a video is named '<user id>:camera' or '<user id>:screen'")
    return f"{canonical}:{source}"


VideoName = Annotated[str, Field(max_length=64), AfterValidator(_video_name)]
Pixels = Annotated[int, Field(ge=0, le=MAX_TILE_PIXELS)]


class VisibilityData(_Strict):
    # Every video the client does not show now (the whole set each time: idempotent).
    hidden: list[VideoName] = Field(max_length=MAX_HIDDEN_VIDEOS)
    # The size (device pixels, width and height) each shown video's tile has now; a video
    # not named has no known size. Also the whole map each time.
    sizes: dict[VideoName, tuple[Pixels, Pixels]] = Field(
        default_factory=dict, max_length=MAX_HIDDEN_VIDEOS
    )


class TargetData(_Strict):
    user_id: uuid.UUID = Field(alias="userId")


class TokenData(_Strict):
    token: str = Field(min_length=1, max_length=4096)


class _Envelope(_Strict):
    id: str | None = Field(default=None, max_length=MAX_ID_CHARS)


class JoinRoom(_Envelope):
    type: Literal["join_room"]
    data: JoinData = JoinData()


class LeaveRoom(_Envelope):
    type: Literal["leave_room"]
    data: Empty = Empty()


class Chat(_Envelope):
    type: Literal["chat"]
    data: ChatData


class Offer(_Envelope):
    type: Literal["offer"]
    data: SdpData


class Answer(_Envelope):
    type: Literal["answer"]
    data: SdpData


class IceCandidate(_Envelope):
    type: Literal["ice-candidate"]
    data: CandidateData


class Mute(_Envelope):
    type: Literal["mute"]
    data: MutedData


class Video(_Envelope):
    type: Literal["video"]
    data: EnabledData


class ScreenShare(_Envelope):
    type: Literal["screen_share"]
    data: ScreenData


class VideoVisibility(_Envelope):
    type: Literal["video_visibility"]
    data: VisibilityData


class Recording(_Envelope):
    type: Literal["recording"]
    data: ActiveData


class RaiseHand(_Envelope):
    type: Literal["raise_hand"]
    data: RaisedData


class MuteParticipant(_Envelope):
    type: Literal["mute_participant"]
    data: TargetData


class RemoveParticipant(_Envelope):
    type: Literal["remove_participant"]
    data: TargetData


class EndRoom(_Envelope):
    type: Literal["end_room"]
    data: Empty = Empty()


class Admit(_Envelope):
    """Let someone waiting in the lobby in (decision 59)."""

    type: Literal["admit"]
    data: TargetData


class Deny(_Envelope):
    """Turn someone waiting in the lobby away."""

    type: Literal["deny"]
    data: TargetData


class AdmitAll(_Envelope):
    type: Literal["admit_all"]
    data: Empty = Empty()


class Ping(_Envelope):
    type: Literal["ping"]
    data: Empty = Empty()


class RefreshToken(_Envelope):
    type: Literal["refresh_token"]
    data: TokenData


ClientMessage = Annotated[
    JoinRoom
    | LeaveRoom
    | Chat
    | Offer
    | Answer
    | IceCandidate
    | Mute
    | Video
    | ScreenShare
    | VideoVisibility
    | Recording
    | RaiseHand
    | MuteParticipant
    | RemoveParticipant
    | EndRoom
    | Admit
    | Deny
    | AdmitAll
    | Ping
    | RefreshToken,
    Field(discriminator="type"),
]

_adapter: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


ProtocolErrorCode = Literal[
    "invalid_json", "invalid_message", "unknown_type", "too_large", "rate_limited"
]
"""The answers to a frame the connection cannot take (listed in docs/signaling.md)."""
PROTOCOL_ERROR_CODES: frozenset[str] = frozenset(get_args(ProtocolErrorCode))


class ProtocolError(Exception):
    """A message that cannot be handled; answered with an `error` event."""

    def __init__(
        self, code: ProtocolErrorCode, message: str, message_id: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_id = message_id


def _request_id(document: object) -> str | None:
    """The id to answer, when the document has a usable one."""
    if isinstance(document, dict):
        value = document.get("id")
        if isinstance(value, str) and len(value) <= MAX_ID_CHARS:
            return value
    return None


def request_id_of(raw: str | bytes, longest: int = 4096) -> str | None:
    """The id of a frame refused before it was parsed (rate limited), if it is cheap to
    find: a small frame that is a JSON object with a usable id."""
    if len(raw) > longest:
        return None
    try:
        return _request_id(json.loads(raw))
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
        return None


def _frame_size(raw: str | bytes) -> int:
    # "surrogatepass": a text frame holding a lone surrogate (an ASGI server that skipped
    # the UTF-8 check) is measured and then refused as text, not failed on here.
    return len(raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw)


def _cut(text: str) -> str:
    """Client text quoted in an error message, cut short: never echo a frame back."""
    return text if len(text) <= MAX_ECHO_CHARS else f"{text[:MAX_ECHO_CHARS]}…"


def parse_client_message(raw: str | bytes, max_bytes: int) -> ClientMessage:
    """Validate one frame, or raise `ProtocolError` saying what is wrong with it."""
    if _frame_size(raw) > max_bytes:
        raise ProtocolError("too_large", f"Messages are limited to {max_bytes} bytes.")
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("invalid_json", "The message is not valid JSON.") from None
    except RecursionError:  # the client's nesting, not a server fault
        raise ProtocolError("invalid_json", "The message is nested too deeply.") from None
    message_id = _request_id(document)
    if not isinstance(document, dict):
        raise ProtocolError("invalid_message", "A message is a JSON object.", message_id)
    if document.get("data") is None:  # messages without data may leave it out
        document.pop("data", None)
    try:
        return _adapter.validate_python(document)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] in {"union_tag_invalid", "union_tag_not_found"}:
            kind = _cut(repr(document.get("type")))
            raise ProtocolError(
                "unknown_type", f"Unknown message type {kind}.", message_id
            ) from None
        where = _cut(".".join(str(part) for part in first["loc"][1:]))
        raise ProtocolError(
            "invalid_message", f"{where}: {first['msg']}" if where else first["msg"], message_id
        ) from None


ServerEvent = Literal[
    "room_state",
    "participant_joined",
    "participant_left",
    "participant_updated",
    "chat",
    "offer",
    "answer",
    "ice-candidate",
    "recording_state",
    "media_mode",  # {"mode": "p2p", "peer", "polite"} or {"mode": "sfu"}: see docs
    "active_speaker",  # {"user_id", "level"}: emitted by the SFU once it measures audio
    "room_ended",
    "removed",
    "room_settings",  # {"settings", "by"}: a host changed the room's settings
    "lobby_waiting",  # {"waiting": [{"user_id", "name", "since"}]}: to hosts and moderators
    "replaced",  # between the connections of one person only; never sent to clients
    "pong",
    "ack",
    "error",
]
"""Every event type the server sends (the payloads are listed in docs/signaling.md)."""


def event(kind: ServerEvent, data: dict[str, Any], message_id: str | None = None) -> dict[str, Any]:
    """A server message; `id` is present only on answers (`ack`, `error`)."""
    envelope: dict[str, Any] = {"type": kind, "data": data}
    if message_id is not None:
        envelope["id"] = message_id
    return envelope


def error_event(code: str, message: str, message_id: str | None = None) -> dict[str, Any]:
    return event("error", {"code": code, "message": message}, message_id)
