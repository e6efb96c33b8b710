"""Video quality levels: the words people choose ("720p") and what each allows.

One table for the room's cap (`max_video_resolution`), the account's preference
(`preferred_resolution`) and the SFU's check; the web app's table
(`frontend/src/rtc/media-constraints.ts`) holds the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

VideoQualityName = Literal["360p", "720p", "1080p"]


@dataclass(frozen=True, slots=True)
class VideoQuality:
    long_side: int
    short_side: int
    max_bitrate: int  # bits/s a camera at this size is asked to stay within


VIDEO_QUALITIES: dict[str, VideoQuality] = {
    "360p": VideoQuality(640, 360, 600_000),
    "720p": VideoQuality(1280, 720, 1_500_000),
    "1080p": VideoQuality(1920, 1080, 3_000_000),
}
