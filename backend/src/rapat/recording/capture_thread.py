"""Where the recorders of a recording run: one thread that owns their `TrackRecorder`s and
does every file write, fed through one queue by the thread that receives the media.

The media thread must never wait on a disk: `push_rtp` and `push_report` put the item in
the queue and return (nobody waits on the queue, so a put wakes no thread: this thread
takes what is queued every 100 ms), and when `max_pending` media items already wait they drop it and
count it (`dropped`), so a slow or stalled disk costs frames in the file, never forwarding.
Control items (open or close a track, a job such as a manifest write, stop) are never
dropped and keep their order with the packets around them.

The first error a recorder or a job raises (disk full, a read-only directory, a muxer
failure) ends the capture: every recorder is closed as far as it can be, `on_failure` is
called with the error, and what is pushed afterwards is ignored. Callbacks run on this
thread; the owner moves them to its own.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from aiortc.rtp import RtcpSrPacket, RtpPacket

from rapat.recording.media_codecs import MediaCodec
from rapat.recording.sidecar import SegmentInfo
from rapat.recording.track_recorder import RecorderOptions, TrackRecorder

log = structlog.get_logger("rapat.recording")

Job = Callable[[], None]
FailureListener = Callable[[BaseException], None]
KeyframeListener = Callable[[Hashable], None]
ClosedListener = Callable[[Hashable, list[SegmentInfo]], None]


@dataclass(frozen=True, slots=True)
class CaptureOptions:
    max_pending: int = 4096  # media items waiting for the disk (about 5 s of a 2-person room)
    drain_every: float = 0.1  # seconds between the thread's turns at the queue
    tick_every: float = 0.1  # seconds between recorder ticks (holes given up, pauses seen)
    keyframe_every: float = 0.5  # the most often one track asks its publisher for a keyframe
    recorder: RecorderOptions = field(default_factory=RecorderOptions)


@dataclass(frozen=True, slots=True)
class _Open:
    key: Hashable
    directory: Path
    name: str
    codec: MediaCodec


@dataclass(frozen=True, slots=True)
class _Close:
    key: Hashable


@dataclass(frozen=True, slots=True)
class _Run:
    job: Job


_STOP = object()
_Item = tuple[Hashable, RtpPacket, float] | tuple[Hashable, RtcpSrPacket] | _Open | _Close | _Run


class CaptureThread:
    def __init__(
        self,
        on_failure: FailureListener,
        on_keyframe_wanted: KeyframeListener,
        on_closed: ClosedListener,
        options: CaptureOptions | None = None,
        name: str = "recording",
    ) -> None:
        self._options = options or CaptureOptions()
        self._on_failure = on_failure
        self._on_keyframe_wanted = on_keyframe_wanted
        self._on_closed = on_closed
        # Unbounded, so control items always get in; media items are bounded by its size.
        self._queue: queue.SimpleQueue[_Item | object] = queue.SimpleQueue()
        self._recorders: dict[Hashable, TrackRecorder] = {}
        self._asked: dict[Hashable, float] = {}
        self._failed = False
        self.dropped = 0
        self.written = 0
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    # --- from the media thread: never blocks ------------------------------------------

    def push_rtp(self, key: Hashable, packet: RtpPacket, arrival: float) -> None:
        self._push_media((key, packet, arrival))

    def push_report(self, key: Hashable, report: RtcpSrPacket) -> None:
        self._push_media((key, report))

    def _push_media(self, item: _Item) -> None:
        if self._failed:
            return
        if self._queue.qsize() >= self._options.max_pending:
            self.dropped += 1  # (only the media thread writes it)
            return
        self._queue.put(item)

    # --- control, in order with the media ----------------------------------------------

    def open_track(self, key: Hashable, directory: Path, name: str, codec: MediaCodec) -> None:
        self._queue.put(_Open(key, directory, name, codec))

    def close_track(self, key: Hashable) -> None:
        """Writes what is queued for the track, closes its file; then `on_closed`."""
        self._queue.put(_Close(key))

    def run(self, job: Job) -> None:
        """Runs `job` on this thread, after what is queued before it (e.g. a manifest)."""
        self._queue.put(_Run(job))

    def stop(self) -> None:
        """Closes every track after what is queued, then the thread ends (see `join`)."""
        self._queue.put(_STOP)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    # --- the thread -------------------------------------------------------------------

    def _run(self) -> None:
        # Wakes on a timer and takes everything queued, rather than waiting on the queue:
        # a waiting consumer would be woken (and handed the GIL) by every packet put.
        next_tick = time.time() + self._options.tick_every
        while True:
            time.sleep(self._options.drain_every)
            if self._drain():
                return
            now = time.time()
            if now >= next_tick:
                next_tick = now + self._options.tick_every
                self._guarded(self._tick, now)

    def _drain(self) -> bool:
        """Handles everything queued; True once the stop item came (every track closed)."""
        take, recorders = self._queue.get_nowait, self._recorders
        while True:
            try:
                item = take()
            except queue.Empty:
                return False
            if item is _STOP:
                self._close_all()
                return True
            if self._failed:
                continue  # (what comes until stop is dropped)
            try:
                if type(item) is tuple and len(item) == 3:
                    # An RTP packet, nearly every item: handled here, with no call between.
                    recorder = recorders.get(item[0])
                    if recorder is not None:
                        recorder.on_rtp(item[1], item[2])
                        self.written += 1
                else:
                    self._handle(item)
            except Exception as error:  # any failure ends the capture, not the thread
                self._fail(error)

    def _guarded(self, step: Callable[[Any], None], argument: Any) -> None:
        if self._failed:
            return  # (what comes until stop is dropped)
        try:
            step(argument)
        except Exception as error:  # any failure ends the capture, not the thread
            self._fail(error)

    def _tick(self, now: float) -> None:
        for recorder in self._recorders.values():
            recorder.tick(now)
        self._ask_keyframes(now)

    def _handle(self, item: _Item | object) -> None:
        if isinstance(item, tuple):
            recorder = self._recorders.get(item[0])
            if recorder is None:
                return
            if len(item) == 3:
                recorder.on_rtp(item[1], item[2])
                self.written += 1
            else:
                recorder.on_sender_report(item[1])
        elif isinstance(item, _Open):
            item.directory.mkdir(parents=True, exist_ok=True)
            recorder = TrackRecorder(item.directory, item.name, item.codec, self._options.recorder)
            self._recorders[item.key] = recorder
        elif isinstance(item, _Close):
            closing = self._recorders.pop(item.key, None)
            self._asked.pop(item.key, None)
            if closing is not None:
                closing.close()
                self._on_closed(item.key, list(closing.segments))
        elif isinstance(item, _Run):
            item.job()

    def _ask_keyframes(self, now: float) -> None:
        for key, recorder in self._recorders.items():
            if recorder.waiting_for_keyframe and now - self._asked.get(key, 0.0) >= (
                self._options.keyframe_every
            ):
                self._asked[key] = now
                self._on_keyframe_wanted(key)

    def _close_all(self) -> None:
        recorders, self._recorders = self._recorders, {}
        for key, recorder in recorders.items():
            if self._failed:
                with contextlib.suppress(Exception):  # a failed disk: keep what is there
                    recorder.close()
                continue
            try:
                recorder.close()
                self._on_closed(key, list(recorder.segments))
            except Exception as error:
                self._fail(error)

    def _fail(self, error: BaseException) -> None:
        if self._failed:
            return
        self._failed = True
        log.error("recording_failed", error=repr(error))
        self._close_all()
        self._on_failure(error)
