"""Bodies of /rooms."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from rapat.api.schemas.common import PRINTABLE_LINE, PRINTABLE_TEXT, RequestBody
from rapat.api.schemas.users import PublicUserOut
from rapat.domain.errors import InvalidInput
from rapat.domain.video_quality import VideoQualityName
from rapat.services.room_bans import BanView
from rapat.services.room_settings import RoomSettings
from rapat.services.rooms import HistoryView, MemberView, RoomView

RoomName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255), PRINTABLE_LINE
]
RoomPassword = Annotated[str, StringConstraints(min_length=4, max_length=128)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), PRINTABLE_TEXT
]


# A meeting's time in a sane range: a year like 9999 overflowed the invitation's end time.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone, e.g. 2026-12-01T09:00:00Z")
    value = value.astimezone(UTC)
    if not EARLIEST <= value < LATEST:
        raise ValueError("must be between the years 2000 and 2099")
    return value


AwareDateTime = Annotated[datetime, AfterValidator(_aware)]


class RoomSettingsPatch(RequestBody):
    """Any subset of the room settings; types are checked strictly."""

    model_config = ConfigDict(extra="forbid", strict=True)

    mute_on_join: bool | None = None
    camera_off_on_join: bool | None = None
    allow_chat: bool | None = None
    allow_screen_share: bool | None = None
    lobby_enabled: bool | None = None
    max_video_resolution: VideoQualityName | None = None
    media_mode: Literal["auto", "sfu"] | None = None
    recording_permission: Literal["host", "hosts_and_moderators"] | None = None

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude_none=True)


class RoomCreateIn(RequestBody):
    name: RoomName
    description: Description | None = None
    password: RoomPassword | None = None
    max_users: int = Field(default=10, ge=1, le=100)
    scheduled_at: AwareDateTime | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=1440)
    persistent: bool = False
    settings: RoomSettingsPatch | None = None


class RoomUpdateIn(RequestBody):
    name: RoomName | None = None
    description: Description | None = None
    password: RoomPassword | None = None
    max_users: int | None = Field(default=None, ge=1, le=100)
    scheduled_at: AwareDateTime | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=1440)
    persistent: bool | None = None
    status: Literal["cancelled"] | None = None
    # With `password`: everyone but the host stops being a member and leaves the meeting,
    # to join again with the new password (decision 42).
    remove_participants: bool = Field(
        default=False,
        description="With `password` only: everyone but the host is taken out of the room "
        "(and its meeting) and must join again with the new password.",
    )

    def changes(self) -> dict[str, Any]:
        values = self.model_dump(exclude_unset=True)
        for key in ("name", "max_users", "persistent", "status"):
            if key in values and values[key] is None:
                raise InvalidInput(f"{key} cannot be null.", code="invalid_input")
        return values


class JoinIn(RequestBody):
    password: Annotated[str, StringConstraints(max_length=128)] | None = None
    as_observer: bool = False


class RoleIn(RequestBody):
    role: Literal["moderator", "participant", "observer"]


class RoomOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    description: str | None
    host: PublicUserOut
    has_password: bool
    max_users: int
    status: str
    persistent: bool
    scheduled_at: datetime | None
    duration_minutes: int | None
    created_at: datetime
    ended_at: datetime | None
    participant_count: int
    my_role: str | None
    invite_url: str
    recording: bool = Field(description="The meeting is being recorded right now")

    @classmethod
    def of(cls, view: RoomView) -> RoomOut:
        room = view.room
        return cls(
            id=room.id,
            code=room.meeting_code,
            name=room.name,
            description=room.description,
            host=PublicUserOut.of(view.host),
            has_password=room.password_hash is not None,
            max_users=room.max_users,
            status=room.status,
            persistent=room.persistent,
            scheduled_at=room.scheduled_at,
            duration_minutes=room.duration_minutes,
            created_at=room.created_at,
            ended_at=room.ended_at,
            participant_count=view.participant_count,
            my_role=view.my_role.value if view.my_role else None,
            invite_url=view.invite_url,
            recording=view.recording,
        )


class RoomPage(BaseModel):
    items: list[RoomOut]
    total: int
    limit: int
    offset: int


class ParticipantOut(BaseModel):
    user: PublicUserOut
    role: str
    joined_at: datetime
    left_at: datetime | None

    @classmethod
    def of(cls, view: MemberView) -> ParticipantOut:
        return cls(
            user=PublicUserOut.of(view.user),
            role=view.participant.role,
            joined_at=view.participant.joined_at,
            left_at=view.participant.left_at,
        )


class BanOut(BaseModel):
    """Someone removed from the room, kept out until a host or moderator lets them in."""

    user: PublicUserOut
    banned_by: uuid.UUID | None
    created_at: datetime

    @classmethod
    def of(cls, view: BanView) -> BanOut:
        return cls(
            user=PublicUserOut.of(view.user),
            banned_by=view.ban.banned_by,
            created_at=view.ban.created_at,
        )


class JoinOut(BaseModel):
    room: RoomOut
    participant: ParticipantOut


class RoomRef(BaseModel):
    id: uuid.UUID
    code: str
    name: str


class HistoryOut(BaseModel):
    room: RoomRef
    user: PublicUserOut
    joined_at: datetime
    left_at: datetime | None
    duration_seconds: int | None
    recording_url: str | None = Field(
        description="The page of the meeting's recording, once it is ready"
    )

    @classmethod
    def of(cls, view: HistoryView) -> HistoryOut:
        return cls(
            room=RoomRef(id=view.room.id, code=view.room.meeting_code, name=view.room.name),
            user=PublicUserOut.of(view.user),
            joined_at=view.entry.joined_at,
            left_at=view.entry.left_at,
            duration_seconds=view.entry.duration,
            recording_url=view.entry.recording_url,
        )


class HistoryPage(BaseModel):
    items: list[HistoryOut]
    total: int
    limit: int
    offset: int


class MessageOut(BaseModel):
    id: uuid.UUID
    user: PublicUserOut | None
    message: str
    message_type: str
    created_at: datetime


class MessagePageOut(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None


class RoomSettingsOut(RoomSettings):
    pass


def encode_cursor(cursor: tuple[datetime, uuid.UUID] | None) -> str | None:
    if cursor is None:
        return None
    raw = f"{cursor[0].isoformat()}|{cursor[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        moment, _, message_id = raw.partition("|")
        return _aware(datetime.fromisoformat(moment)), uuid.UUID(message_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("The cursor is not valid.", code="invalid_cursor") from None
