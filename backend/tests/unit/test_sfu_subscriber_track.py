"""A subscription's log lines say whose it is: their request_id may be another member's."""

from __future__ import annotations

from structlog.testing import capture_logs

from rapat.sfu.interfaces import DownTrack
from rapat.sfu.subscriber_track import SubscriberTrack


class StubUp:
    """The publication side, recording which subscriptions it was asked to forward to."""

    kind = "video"
    track_id = "browser-track-1"

    def __init__(self) -> None:
        self.forwarding: list[DownTrack] = []

    def attach(self, down: DownTrack) -> None:
        return None

    def start_forwarding(self, down: DownTrack) -> None:
        self.forwarding.append(down)

    def detach(self, down: DownTrack) -> None:
        return None

    def set_paused(self, paused: bool) -> None:
        return None

    def request_keyframe(self) -> None:
        return None

    def bitrate_changed(self) -> None:
        return None


def test_the_sending_line_names_the_subscriber() -> None:
    up = StubUp()
    down = SubscriberTrack(up, subscriber="u-dewi")
    with capture_logs() as logs:
        down.on_sending()
    assert up.forwarding == [down]
    assert [(e["event"], e.get("subscriber"), e["track_id"]) for e in logs] == [
        ("sfu_subscription_sending", "u-dewi", "browser-track-1")
    ]
