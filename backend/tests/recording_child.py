"""Run as a process by the kill -9 test: records VP8 paced in real time (three times
faster than sent) and prints each frame's index once it has been handed to the recorder."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rapat.recording.media_codecs import MediaCodec
from rapat.recording.track_recorder import TrackRecorder
from tests.recording_media import video_packets


def main(directory: Path) -> None:
    sent = video_packets("video/VP8", 300)
    recorder = TrackRecorder(directory, "cam", MediaCodec.VP8)
    begin = time.monotonic()
    frame = -1
    for item in sent:
        arrival = item.time / 3
        time.sleep(max(0.0, begin + arrival - time.monotonic()))
        recorder.on_rtp(item.packet, 1_800_000_000 + item.time)
        if item.packet.marker:
            frame += 1
            print(frame, flush=True)
    print("done", flush=True)
    time.sleep(60)  # never closes: the test kills it first


if __name__ == "__main__":
    main(Path(sys.argv[1]))
