"""Typed room settings: validated once here, stored one row per key in `room_settings`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from rapat.domain.video_quality import VideoQualityName


class RoomSettings(BaseModel):
    """Every room setting with its default; stored one row per key in `room_settings`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    mute_on_join: bool = False
    camera_off_on_join: bool = False
    allow_chat: bool = True
    allow_screen_share: bool = True
    lobby_enabled: bool = False
    max_video_resolution: VideoQualityName = "720p"
    # auto: two people connect directly, the SFU takes over when a third joins
    media_mode: Literal["auto", "sfu"] = "auto"
    # who may start and stop recording the meeting
    recording_permission: Literal["host", "hosts_and_moderators"] = "host"


def merge_settings(stored: dict[str, Any], changes: dict[str, Any] | None = None) -> RoomSettings:
    """Defaults, then what is stored (unknown keys from older versions are ignored), then
    the changes (validated strictly)."""
    known = {key: value for key, value in stored.items() if key in RoomSettings.model_fields}
    base = RoomSettings.model_validate(known) if known else RoomSettings()
    if not changes:
        return base
    return RoomSettings.model_validate({**base.model_dump(), **changes})
