"""Writes one track's encoded frames into a WebM/Matroska file with FFmpeg's muxer (through
PyAV), without a decoder or encoder: frames go in as they came off the wire.

The file must stay playable if the process is killed mid-recording (decision 48). FFmpeg's
Matroska muxer builds each cluster in memory and writes it whole when the next one starts;
`cluster_time_limit` starts a new cluster every second, and `flush_packets` hands what was
written to the kernel at once instead of holding it in a 32 KiB I/O buffer. A killed writer
thus leaves the header and every finished cluster on disk: a file without its index (Cues)
or duration, which players and FFmpeg read to the last whole cluster."""

from __future__ import annotations

import io
import struct
from fractions import Fraction
from pathlib import Path

import av
from av.audio.stream import AudioStream
from av.container import InputContainer, OutputContainer
from av.stream import Stream
from av.video.stream import VideoStream

from rapat.recording.frames import StreamSetup

MS = Fraction(1, 1000)  # Matroska's usual timestamp scale

# IVF four-character codes of the video codecs recorded.
_IVF_CODES = {"vp8": b"VP80", "h264": b"H264"}


def _video_template(codec_name: str, setup: StreamSetup) -> InputContainer:
    """An empty IVF stream of the codec: a video stream made from it as a template has no
    encoder behind it. `add_stream` would open one (libvpx: 24 MB at 720p, 54 MB at 1080p,
    held as long as the file is open) only to never use it."""
    header = b"DKIF" + struct.pack(
        "<HH4sHHIII", 0, 32, _IVF_CODES[codec_name], setup.width, setup.height, 1000, 1, 0
    )
    return av.open(io.BytesIO(header + bytes(4)), "r", format="ivf")


def _add_stream(
    output: OutputContainer, codec_name: str, setup: StreamSetup, sample_rate: int
) -> Stream:
    if sample_rate:
        # Opus's encoder, opened and never used, costs 0.4 MB: not worth a template.
        audio = output.add_stream(codec_name, rate=sample_rate)
        if not isinstance(audio, AudioStream):
            raise TypeError(f"{codec_name} is not an audio codec")
        return audio
    with _video_template(codec_name, setup) as template:
        video = output.add_stream_from_template(template.streams.video[0])
    if not isinstance(video, VideoStream):
        raise TypeError(f"{codec_name} is not a video codec")
    video.width, video.height = setup.width, setup.height
    return video


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
            stream = _add_stream(self._output, codec_name, setup, sample_rate)
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
        self._output.mux_one(packet)
        self._last_pts = pts
        self.frames += 1

    def close(self) -> None:
        """Writes the index and duration; a file never closed is still readable."""
        self._output.close()
