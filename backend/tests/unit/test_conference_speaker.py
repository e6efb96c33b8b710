"""Active speaker hysteresis and the adaptive bitrate target."""

from __future__ import annotations

from rapat.conference.speaker import SpeakerDetector
from rapat.sfu.bitrate import BitrateBounds, target_bitrate, worth_sending


def window(detector: SpeakerDetector, levels: dict[str, int]) -> str | None:
    for who, level in levels.items():
        for _ in range(10):
            detector.observe(who, level)
    return detector.tick()


def test_the_loudest_voice_above_the_floor_becomes_the_speaker_at_once() -> None:
    detector = SpeakerDetector()
    assert window(detector, {"a": 127, "b": 127}) is None  # silence: nobody
    assert window(detector, {"a": 30, "b": 50}) == "a"
    assert detector.current == "a"


def test_a_challenger_needs_the_margin_for_several_windows() -> None:
    detector = SpeakerDetector(margin=6, hold=2)
    window(detector, {"a": 30, "b": 80})
    assert window(detector, {"a": 30, "b": 27}) is None  # louder, but within the margin
    assert window(detector, {"a": 40, "b": 20}) is None  # beats the margin: first window
    assert window(detector, {"a": 24, "b": 20}) is None  # not by the margin any more
    assert window(detector, {"a": 40, "b": 20}) is None
    assert window(detector, {"a": 40, "b": 20}) == "b"  # second window in a row


def test_a_silent_speaker_keeps_the_ring_until_someone_speaks() -> None:
    detector = SpeakerDetector()
    window(detector, {"a": 30})
    assert window(detector, {"a": 127, "b": 127}) is None
    assert detector.current == "a"
    detector.forget("a")
    assert detector.current is None
    assert window(detector, {"b": 40}) == "b"


def test_bitrate_target_is_the_slowest_subscriber_within_bounds() -> None:
    bounds = BitrateBounds(floor=150_000, ceiling=2_500_000)
    assert target_bitrate([None, None], None, bounds) is None
    assert target_bitrate([800_000, None, 400_000], None, bounds) == 400_000
    assert target_bitrate([800_000], 300_000, bounds) == 300_000  # the uplink is slower
    assert target_bitrate([20_000], None, bounds) == 150_000  # not below a usable picture
    assert target_bitrate([9_000_000], None, bounds) == 2_500_000
    assert worth_sending(None, 400_000, bounds)
    assert not worth_sending(400_000, 420_000, bounds)
    assert worth_sending(400_000, 300_000, bounds)
