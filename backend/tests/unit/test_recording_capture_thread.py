"""The capture thread: the media thread's calls never wait, a full queue drops and counts,
control items keep their order with the packets, and a failing write ends the capture."""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Hashable
from pathlib import Path

import pytest

from rapat.recording.capture_thread import CaptureOptions, CaptureThread
from rapat.recording.matroska_writer import MatroskaTrackWriter
from rapat.recording.media_codecs import MediaCodec
from rapat.recording.sidecar import SegmentInfo
from tests.recording_files import START, decode
from tests.recording_media import opus_packets


class Seen:
    def __init__(self) -> None:
        self.failures: list[BaseException] = []
        self.keyframes: list[Hashable] = []
        self.closed: dict[Hashable, list[SegmentInfo]] = {}
        self.failed = threading.Event()

    def capture(self, **options: object) -> CaptureThread:
        def failed(error: BaseException) -> None:
            self.failures.append(error)
            self.failed.set()

        return CaptureThread(
            failed,
            self.keyframes.append,
            self.closed.__setitem__,
            CaptureOptions(**options),  # type: ignore[arg-type]
        )


def test_a_full_queue_drops_and_counts_without_waiting(tmp_path: Path) -> None:
    seen = Seen()
    capture = seen.capture(max_pending=100)  # not started: nothing drains the queue
    capture.open_track("mic", tmp_path, "mic", MediaCodec.OPUS)
    sent = opus_packets(300)
    began = time.perf_counter()
    for item in sent:
        capture.push_rtp("mic", item.packet, START + item.time)
    elapsed = time.perf_counter() - began
    assert capture.dropped == 300 - 99  # (the open item holds one place)
    assert elapsed < 0.05  # 300 calls: no wait anywhere
    capture.start()
    capture.stop()
    capture.join(5)
    (segment,) = seen.closed["mic"]
    assert segment.frames_written == 99
    assert decode(tmp_path / segment.file).frames == 99


def test_close_comes_after_the_packets_pushed_before_it(tmp_path: Path) -> None:
    seen = Seen()
    capture = seen.capture()
    capture.start()
    capture.open_track("mic", tmp_path, "mic", MediaCodec.OPUS)
    for item in opus_packets(150):
        capture.push_rtp("mic", item.packet, START + item.time)
    capture.close_track("mic")
    order: list[str] = []
    capture.run(lambda: order.append("after close"))
    capture.stop()
    capture.join(5)
    assert order == ["after close"]
    assert [s.frames_written for s in seen.closed["mic"]] == [150]
    assert capture.dropped == 0
    assert not seen.failures


def test_a_write_error_ends_the_capture_and_later_pushes_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(MatroskaTrackWriter, "write", full)
    seen = Seen()
    capture = seen.capture()
    capture.start()
    capture.open_track("mic", tmp_path, "mic", MediaCodec.OPUS)
    sent = opus_packets(100)
    for item in sent[:50]:
        capture.push_rtp("mic", item.packet, START + item.time)
    assert seen.failed.wait(5)
    (error,) = seen.failures
    assert isinstance(error, OSError)
    assert error.errno == errno.ENOSPC
    for item in sent[50:]:
        capture.push_rtp("mic", item.packet, START + item.time)  # ignored, not queued
    capture.stop()
    capture.join(5)
    assert seen.closed == {}  # a failed capture reports no segment as written
