"""What a published track is (microphone, camera, screen) and how subscribers see it."""

from __future__ import annotations

import enum


class Source(enum.StrEnum):
    MICROPHONE = "microphone"
    CAMERA = "camera"
    SCREEN = "screen"


def classify(kind: str, track_id: str, screen_track_id: str | None, has_camera: bool) -> Source:
    """The source of a new track: audio is the microphone; video is the screen when the
    client declared this track id as its screen share (or it already publishes a camera)."""
    if kind == "audio":
        return Source.MICROPHONE
    if track_id == screen_track_id or has_camera:
        return Source.SCREEN
    return Source.CAMERA


def stream_id(user_id: str, source: Source) -> str:
    """The MediaStream id a subscriber sees: the publisher's id for microphone and camera
    (one stream, so the browser keeps them in sync), `<id>:screen` for the screen."""
    return f"{user_id}:screen" if source is Source.SCREEN else user_id


def track_id(user_id: str, source: Source) -> str:
    return f"{source.value}:{user_id}"


def owner_of(track_id: str) -> tuple[str, Source] | None:
    """Who published a track and which source it is, from the id subscribers see
    (`camera:<user id>`): how a node names the tracks another node relays to it."""
    source, _, user_id = track_id.partition(":")
    if not user_id or source not in Source.__members__.values():
        return None
    return user_id, Source(source)


def video_name(user_id: str, source: Source) -> str:
    """How a subscriber names a video it hides (`video_visibility`): `<id>:camera`,
    `<id>:screen`."""
    return f"{user_id}:{source.value}"


def paused(source: Source, muted: bool, video: bool, screen: bool) -> bool:
    """Whether a source is switched off by the publisher's state."""
    if source is Source.MICROPHONE:
        return muted
    if source is Source.CAMERA:
        return not video
    return not screen
