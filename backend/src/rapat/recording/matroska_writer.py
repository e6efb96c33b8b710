"""Writes one track's encoded frames into a WebM/Matroska file with FFmpeg's muxer (through
PyAV), without a decoder or encoder: frames go in as they came off the wire.

The file must stay playable if the process is killed mid-recording (decision 48). FFmpeg's
Matroska muxer builds each cluster in memory and writes it whole when the next one starts;
`cluster_time_limit` starts a new cluster every second, and `flush_packets` hands what was
written to the kernel at once instead of holding it in a 32 KiB I/O buffer. A killed writer
thus leaves the header and every finished cluster on disk: a file without its index (Cues)
or duration, which players and FFmpeg read to the last whole cluster. The header is
written only once the first frame is muxed, so the file appears with its first frame."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
from av.audio.stream import AudioStream
from av.video.stream import VideoStream

from rapat.recording.frames import StreamSetup

MS = Fraction(1, 1000)  # Matroska's usual timestamp scale


class MatroskaTrackWriter:
    def __init__(
        self,
        path: Path,
        container: str,
        codec_name: str,
        setup: StreamSetup,
        *,
        sample_rate: int = 0,
        cluster_ms: int = 1000,
    ) -> None:
        self.path = path
        options = {"cluster_time_limit": str(cluster_ms), "flush_packets": "1"}
        # Container options only: PyAV would hand `options` to the stream's codec too.
        self._output = av.open(str(path), "w", format=container, container_options=options)
        try:
            stream = self._output.add_stream(codec_name, rate=sample_rate or None)
            if isinstance(stream, VideoStream):
                stream.width, stream.height = setup.width, setup.height
            elif not isinstance(stream, AudioStream):
                raise TypeError(f"{codec_name} is neither audio nor video")
            if setup.extradata:
                stream.codec_context.extradata = setup.extradata
            stream.time_base = MS
        except Exception:
            self._output.close()
            raise
        self._stream = stream
        self._last_pts = -1
        self.frames = 0

    @property
    def last_pts(self) -> int:
        """The last timestamp written, in ms from the file's start (-1 before any)."""
        return self._last_pts

    def write(self, data: bytes, pts_ms: int, keyframe: bool) -> None:
        # Timestamps only go forward in a file: a sender's clock that stepped back is clamped.
        pts = max(pts_ms, self._last_pts + 1)
        packet = av.Packet(data)
        packet.stream = self._stream
        packet.time_base = MS
        packet.pts = packet.dts = pts
        packet.is_keyframe = keyframe
        self._output.mux(packet)
        self._last_pts = pts
        self.frames += 1

    def close(self) -> None:
        """Writes the index and duration; a file never closed is still readable."""
        self._output.close()
