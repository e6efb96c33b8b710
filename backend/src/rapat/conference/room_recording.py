"""One recording of one room: a tap on each published track, one `TrackRecorder` per track
on a capture thread, files under `<recordings>/<room_id>/<recording_id>/`.

Tracks are named `<user_id>-<source>-<n>` (n counts that person's tracks of that source in
this recording, so a rejoin starts new files rather than appending to the old ones), and
each segment file adds `-0001`, `-0002`... The manifest (`recording_manifest.py`) is
changed and written only on the capture thread, in order with the files it describes.

Runs on the event loop; every file operation goes to the capture thread. The recording
ends on `stop` or when the capture fails (disk full, a write error); either way `on_ended`
is awaited once, with why.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path

import structlog
from aiortc.rtp import RtcpSrPacket, RtpPacket

from rapat.conference.recording_manifest import Manifest, SegmentEntry, TrackEntry, write_manifest
from rapat.conference.sources import Source
from rapat.recording.capture_lock import CaptureLock
from rapat.recording.capture_thread import CaptureOptions, CaptureThread
from rapat.recording.media_codecs import MediaCodec
from rapat.recording.sidecar import SegmentInfo
from rapat.sfu.interfaces import PublishedStream

log = structlog.get_logger("rapat.conference")

REQUESTED = "requested"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RecordingEnded:
    recording_id: str
    reason: str  # requested, room_empty, room_ended, failed
    by: str | None = None  # who asked, for a requested stop
    error: str | None = None  # recording_storage_full, recording_write_failed
    # Whose media was recorded: user id → {"display_name"} (filled when the files closed).
    participants: dict[str, dict[str, str]] = field(default_factory=dict)


EndListener = Callable[[RecordingEnded], Awaitable[None]]


class _Tap:
    """What a published track calls on the media thread: straight into the queue."""

    __slots__ = ("_capture", "key")

    def __init__(self, capture: CaptureThread, key: str) -> None:
        self._capture = capture
        self.key = key

    def on_rtp(self, packet: RtpPacket, arrival: float) -> None:
        self._capture.push_rtp(self.key, packet, arrival)

    def on_sender_report(self, report: RtcpSrPacket) -> None:
        self._capture.push_report(self.key, report)


def error_code(error: BaseException) -> str:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "recording_storage_full"
    return "recording_write_failed"


class RoomRecording:
    def __init__(
        self,
        directory: Path,
        manifest: Manifest,
        on_ended: EndListener,
        options: CaptureOptions | None = None,
    ) -> None:
        self.recording_id = manifest.recording_id
        self.directory = directory
        self._manifest = manifest  # the capture thread's from `start` on
        self._on_ended = on_ended
        self._loop = asyncio.get_running_loop()
        self._capture = CaptureThread(
            on_failure=self._failed_on_capture_thread,
            on_keyframe_wanted=lambda key: self._to_loop(self._ask_keyframe, key),
            on_closed=self._closed_on_capture_thread,
            options=options,
            name=f"recording-{manifest.recording_id[:8]}",
        )
        self._taps: dict[PublishedStream, _Tap] = {}
        self._streams: dict[Hashable, PublishedStream] = {}
        self._counts: dict[tuple[str, Source], int] = {}
        self.active = False
        self._ending: asyncio.Task[None] | None = None
        # Held from the folder's creation until the capture thread is done (set there).
        self._lock: CaptureLock | None = None

    @property
    def dropped(self) -> int:
        return self._capture.dropped

    def start(self) -> None:
        self.active = True
        self._capture.start()
        directory, manifest = self.directory, self._manifest

        def begin() -> None:
            # Held before the manifest says "recording": a process recovering what dead
            # ones left skips this folder (recording/capture_lock.py).
            self._lock = CaptureLock.acquire(directory)
            write_manifest(directory, manifest)

        self._capture.run(begin)

    def add(self, user_id: str, display_name: str, source: Source, stream: PublishedStream) -> None:
        """Record a published track from now on (its next keyframe, for video)."""
        if not self.active or stream in self._taps:
            return
        try:
            codec = MediaCodec.from_mime_type(stream.mime_type)
        except ValueError:
            log.warning("recording_codec_unsupported", mime_type=stream.mime_type)
            return
        count = self._counts[(user_id, source)] = self._counts.get((user_id, source), 0) + 1
        name = f"{user_id}-{source.value}-{count}"
        entry = TrackEntry(
            name, user_id, source.value, stream.kind, codec.spec.muxer_name, time.time()
        )
        manifest, directory = self._manifest, self.directory

        def listed() -> None:
            manifest.participants[user_id] = {"display_name": display_name}
            manifest.tracks.append(entry)
            write_manifest(directory, manifest)

        self._capture.open_track(name, self.directory, name, codec)
        self._capture.run(listed)
        tap = self._taps[stream] = _Tap(self._capture, name)
        self._streams[name] = stream
        stream.add_tap(tap)
        stream.request_keyframe()  # a video file starts on one (audio ignores it)

    def remove(self, stream: PublishedStream) -> None:
        """The track ended or its publisher left: close its file (a rejoin starts anew)."""
        tap = self._taps.pop(stream, None)
        if tap is None:
            return
        stream.remove_tap(tap)
        self._streams.pop(tap.key, None)
        if self.active:
            self._capture.close_track(tap.key)

    async def stop(self, reason: str, by: str | None = None) -> None:
        """Close every file and the manifest, then tell the owner (once)."""
        if not self.active:
            if self._ending is not None:
                await asyncio.shield(self._ending)
            return
        self.active = False
        for stream in list(self._taps):
            self.remove(stream)
        manifest, directory, capture = self._manifest, self.directory, self._capture

        def finish() -> None:
            manifest.status, manifest.stopped_at = "stopped", time.time()
            manifest.stop_reason = reason
            manifest.packets_dropped = capture.dropped
            write_manifest(directory, manifest)

        self._capture.run(finish)
        self._ending = asyncio.ensure_future(
            self._end(RecordingEnded(self.recording_id, reason, by))
        )
        await asyncio.shield(self._ending)

    async def _end(self, ended: RecordingEnded) -> None:
        self._capture.stop()
        await asyncio.to_thread(self._capture.join)
        if self._lock is not None:  # the files are closed: recovery may have the folder
            self._lock.release()
        # The capture thread is done: its manifest may be read here now.
        ended = replace(ended, participants=dict(self._manifest.participants))
        log.info(
            "recording_stopped",
            recording_id=self.recording_id,
            reason=ended.reason,
            error=ended.error,
            dropped=self._capture.dropped,
        )
        try:
            await self._on_ended(ended)
        except Exception:  # (the room could not be told, e.g. the bus is down)
            log.exception("recording_end_not_announced", recording_id=self.recording_id)

    # --- from the capture thread ----------------------------------------------------------

    def _to_loop(self, callback: Callable[..., object], *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed (shutdown): nothing to do
            self._loop.call_soon_threadsafe(callback, *args)

    def _closed_on_capture_thread(self, key: Hashable, segments: list[SegmentInfo]) -> None:
        track = self._manifest.track(str(key))
        if track is not None:
            track.closed_at = time.time()
            track.segments = [SegmentEntry.of(info) for info in segments]
            write_manifest(self.directory, self._manifest)

    def _failed_on_capture_thread(self, error: BaseException) -> None:
        code = error_code(error)
        manifest = self._manifest
        manifest.status, manifest.stopped_at = "failed", time.time()
        manifest.stop_reason, manifest.error = FAILED, code
        with contextlib.suppress(Exception):  # the disk failed: it may not take this either
            write_manifest(self.directory, manifest)
        self._to_loop(self._failed, code)

    def _failed(self, code: str) -> None:
        if not self.active:
            return
        self.active = False
        for stream, tap in list(self._taps.items()):
            stream.remove_tap(tap)
        self._taps.clear()
        self._streams.clear()
        log.error("recording_failed", recording_id=self.recording_id, error=code)
        ended = RecordingEnded(self.recording_id, FAILED, error=code)
        self._ending = asyncio.ensure_future(self._end(ended))

    def _ask_keyframe(self, key: Hashable) -> None:
        stream = self._streams.get(key)
        if stream is not None:
            stream.request_keyframe()
