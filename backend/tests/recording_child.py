"""Run as a process by the kill -9 tests: records VP8 paced in real time (three times
faster than sent) and prints each frame's index once it has been handed to the recorder.
Arguments: the directory, then optionally the track's name and the wall-clock time its
first packet arrives at (the restart test wants today's)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rapat.recording.media_codecs import MediaCodec
from rapat.recording.track_recorder import TrackRecorder
from tests.recording_media import video_packets


def main(directory: Path, name: str = "cam", wall_start: float = 1_800_000_000) -> None:
    sent = video_packets("video/VP8", 300)
    recorder = TrackRecorder(directory, name, MediaCodec.VP8)
    begin = time.monotonic()
    frame = -1
    for item in sent:
        arrival = item.time / 3
        time.sleep(max(0.0, begin + arrival - time.monotonic()))
        recorder.on_rtp(item.packet, wall_start + item.time)
        if item.packet.marker:
            frame += 1
            print(frame, flush=True)
    print("done", flush=True)
    time.sleep(60)  # never closes: the test kills it first


if __name__ == "__main__":
    # directory [name [wall-clock start]]
    main(Path(sys.argv[1]), *sys.argv[2:3], *(float(value) for value in sys.argv[3:4]))
