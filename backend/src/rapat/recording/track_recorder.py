"""Records one published track: RTP packets and the publisher's sender reports in, one
WebM/Matroska file per segment out, each with a JSON sidecar (`sidecar.py`).

A segment ends when the track pauses longer than `pause_gap` (mute, camera off, a stopped
track), when the sender starts over (a new SSRC or a jump in sequence numbers), or when
asked (`new_segment`); the next one begins with the next frame (video: the next keyframe,
so the owner should ask the publisher for one while `waiting_for_keyframe`). Within a
segment, timestamps follow the RTP clock, so a shorter pause is a gap in the file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from aiortc.rtp import RtcpSrPacket, RtpPacket

from rapat.recording.frame_assembler import AssemblyStats, FrameAssembler
from rapat.recording.frames import EncodedFrame
from rapat.recording.matroska_writer import MatroskaTrackWriter
from rapat.recording.media_codecs import MediaCodec
from rapat.recording.reorder_buffer import Lost, Ordered, ReorderBuffer, ReorderStats
from rapat.recording.rtp_clock import RtpClock
from rapat.recording.sidecar import SegmentInfo, write_sidecar


@dataclass(frozen=True, slots=True)
class RecorderOptions:
    reorder_packets: int = 512  # at most this many packets wait behind a hole
    reorder_wait: float = 0.25  # seconds a hole waits for a retransmission
    pause_gap: float = 2.0  # seconds without media (arrival or RTP clock) that end a segment
    cluster_ms: int = 1000  # the most a killed recording loses
    sidecar_every: float = 5.0  # seconds of media between sidecar refreshes


@dataclass(slots=True)
class _Segment:
    writer: MatroskaTrackWriter
    info: SegmentInfo
    sidecar: Path
    first_timestamp: int  # the assembler's extended timestamp of the first frame
    clock_first: int  # the same instant as the clock extends it
    reorder_base: ReorderStats
    assembly_base: AssemblyStats
    saved_at_ms: int = 0


class TrackRecorder:
    def __init__(
        self,
        directory: Path,
        name: str,
        codec: MediaCodec,
        options: RecorderOptions | None = None,
    ) -> None:
        self._directory = directory
        self._name = name
        self._codec = codec
        self._spec = codec.spec  # (an enum's property: read per frame, kept here)
        self._options = options or RecorderOptions()
        self._clock = RtpClock(codec.spec.clock_rate)
        self._reorder = ReorderBuffer(self._options.reorder_packets, self._options.reorder_wait)
        self._depacketizer = codec.depacketizer()
        self._assembler = FrameAssembler(self._depacketizer, codec.spec.video)
        # Counts at the end of the last segment: what the next one lost is counted from here.
        self._reorder_base = ReorderStats()
        self._assembly_base = AssemblyStats()
        self._ssrc: int | None = None
        self._last_arrival: float | None = None
        self._last_frame_timestamp: int | None = None
        self._segment: _Segment | None = None
        self._segment_count = 0
        self.segments: list[SegmentInfo] = []  # closed ones, in order

    @property
    def waiting_for_keyframe(self) -> bool:
        """True while video frames are dropped for want of a keyframe: ask for one."""
        return self._assembler.waiting_for_keyframe

    def on_rtp(self, packet: RtpPacket, arrival: float) -> None:
        if self._ssrc is not None and packet.ssrc != self._ssrc:
            self._consume(self._reorder.reset())
            self._start_over("restart")
        self._ssrc = packet.ssrc
        if not self._clock.anchored:
            # The first packet to arrive, not the first frame out of the reorder buffer,
            # which waited there.
            self._clock.on_arrival(self._clock.extend(packet.timestamp), arrival)
        last = self._last_arrival
        if last is not None and arrival - last > self._options.pause_gap:
            self._end_segment("pause")
        self._last_arrival = arrival
        self._consume(self._reorder.push(packet, arrival))

    def on_sender_report(self, report: RtcpSrPacket) -> None:
        """The publisher's RTCP sender report; those of another SSRC are ignored."""
        if self._ssrc is not None and report.ssrc != self._ssrc:
            return
        info = report.sender_info
        self._clock.on_sender_report(info.ntp_timestamp, info.rtp_timestamp)
        segment = self._segment
        if segment is None:
            return
        start = self._clock.wall_time(segment.clock_first)
        if start is not None:
            segment.info.start_wall_time = start
        if segment.info.clock_source != self._clock.source.value:
            # The first report replaces the arrival time at once; later ones only refine it
            # by the sender's jitter and wait for the next refresh (a sidecar rewritten at
            # every report was most of the capture's cost: decision 49).
            segment.info.clock_source = self._clock.source.value
            self._save(segment)

    def tick(self, now: float) -> None:
        """Call every 100 ms or so: gives up on old holes, ends a segment the track paused."""
        self._consume(self._reorder.expire(now))
        if self._paused(now) and self._segment is not None:
            self._end_segment("pause")

    def new_segment(self) -> None:
        """Ends the current file here; the next frame (video: keyframe) starts another."""
        self._end_segment("requested")

    def close(self) -> None:
        self._consume(self._reorder.drain())
        self._end_segment("closed")

    def _paused(self, now: float) -> bool:
        last = self._last_arrival
        return last is not None and now - last > self._options.pause_gap

    def _start_over(self, reason: str) -> None:
        """The sender started over: what it sent before is in (the buffer is drained)."""
        self._end_segment(reason)
        self._clock.reset()
        self._last_frame_timestamp = None

    def _consume(self, items: list[Ordered]) -> None:
        assembler = self._assembler
        for item in items:
            if isinstance(item, Lost):
                if item.restart:
                    self._start_over("restart")
                else:
                    assembler.push(item)  # (a hole makes no frame)
                continue
            for frame in assembler.push_packet(item):
                self._write(frame)

    def _write(self, frame: EncodedFrame) -> None:
        last = self._last_frame_timestamp
        self._last_frame_timestamp = frame.timestamp
        jump = last is not None and (
            abs(frame.timestamp - last) > self._options.pause_gap * self._spec.clock_rate
        )
        if jump and self._segment is not None:
            # The RTP clock jumped (packets held back during a pause came at once).
            self._close_segment("pause")
            if not frame.keyframe and self._spec.video:
                self._assembler.waiting_for_keyframe = True
                self._assembler.stats.waiting_keyframe += 1
                return
        segment = self._segment or self._open_segment(frame)
        pts = (frame.timestamp - segment.first_timestamp) * 1000 // self._spec.clock_rate
        segment.writer.write(frame.data, pts, frame.keyframe)
        if segment.writer.last_pts - segment.saved_at_ms >= self._options.sidecar_every * 1000:
            self._save(segment)

    def _open_segment(self, frame: EncodedFrame) -> _Segment:
        self._segment_count += 1
        stem = f"{self._name}-{self._segment_count:04d}"
        spec = self._codec.spec
        path = self._directory / f"{stem}.{spec.extension}"
        setup = self._depacketizer.stream_setup(frame.data)
        writer = MatroskaTrackWriter(
            path,
            spec.container,
            spec.muxer_name,
            setup,
            sample_rate=0 if spec.video else spec.clock_rate,
            cluster_ms=self._options.cluster_ms,
        )
        rtp = frame.timestamp % (1 << 32)
        extended = self._clock.extend(rtp)
        start = self._clock.wall_time(extended)
        assert start is not None  # the first packet anchored the clock
        info = SegmentInfo(
            file=path.name,
            codec=spec.muxer_name,
            clock_rate=spec.clock_rate,
            start_wall_time=start,
            clock_source=self._clock.source.value,
            first_rtp_timestamp=rtp,
        )
        segment = _Segment(
            writer=writer,
            info=info,
            sidecar=self._directory / f"{stem}.json",
            first_timestamp=frame.timestamp,
            clock_first=extended,
            reorder_base=self._reorder_base,
            assembly_base=self._assembly_base,
        )
        self._segment = segment
        self._save(segment)
        return segment

    def _end_segment(self, reason: str) -> None:
        for frame in self._assembler.restart():
            self._write(frame)
        self._close_segment(reason)
        self._last_frame_timestamp = None

    def _close_segment(self, reason: str) -> None:
        segment, self._segment = self._segment, None
        if segment is None:
            return
        segment.writer.close()
        segment.info.complete = True
        segment.info.ended_by = reason
        self._save(segment)
        self.segments.append(segment.info)
        self._reorder_base = replace(self._reorder.stats)
        self._assembly_base = replace(self._assembler.stats)

    def _save(self, segment: _Segment) -> None:
        info, reorder, assembly = segment.info, self._reorder.stats, self._assembler.stats
        info.duration_ms = max(segment.writer.last_pts, 0)
        info.frames_written = segment.writer.frames
        info.frames_dropped_waiting_keyframe = (
            assembly.waiting_keyframe - segment.assembly_base.waiting_keyframe
        )
        info.frames_dropped_incomplete = assembly.incomplete - segment.assembly_base.incomplete
        info.packets_lost = reorder.lost - segment.reorder_base.lost
        info.packets_late = reorder.late - segment.reorder_base.late
        segment.saved_at_ms = info.duration_ms
        write_sidecar(segment.sidecar, info, durable=info.complete)
