"""How fast a recording is composed (`rapat.recording.composer`): four publishers, each a
360p VP8 camera at 30 fps and an Opus microphone, recorded by the real `TrackRecorder`
from aiortc's encoders, composed into 1280x720 at 25 fps. Reports the speed as a multiple
of real time (media seconds per wall second), pinned to one core with ffmpeg's `threads=1`
and unpinned with ffmpeg's default threads, for MP4 (H.264/AAC) and WebM (VP8/Opus); the
CPU seconds per media second; the machine's load. Writes "Recording compose".

    .venv/bin/python bench/recording_compose.py [--seconds 30] [--repeats 2]
"""

from __future__ import annotations

import argparse
import asyncio
import fractions
import math
import os
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import av
from aiortc.codecs import get_encoder
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket

from harness import machine_cpu_seconds, write_section
from rapat.recording.compose_request import ComposeRequest, ComposeSegment, ComposeTrack, Container
from rapat.recording.composer import compose
from rapat.recording.media_codecs import MediaCodec
from rapat.recording.track_recorder import TrackRecorder

START = 1_800_000_000.0
WIDTH, HEIGHT, FPS = 640, 360, 30


def _picture(index: int, seed: int) -> av.VideoFrame:
    """A camera-like picture: broad shading that drifts, a bright band crossing it (a
    moving arm), and fine texture: what a webcam's 500 kbit/s carries."""
    frame = av.VideoFrame(WIDTH, HEIGHT, "yuv420p")
    band = (index * 6 + seed * 150) % (WIDTH + 80) - 80
    row = bytes(
        min(
            255,
            60
            + (x + index * 2) % WIDTH // 4
            + ((x * 37 + seed) % 9)
            + (120 if band <= x < band + 80 else 0),
        )
        for x in range(WIDTH)
    )
    frame.planes[0].update(b"".join(row[y % 3 :] + row[: y % 3] for y in range(HEIGHT)))
    frame.planes[1].update(bytes([(seed * 60 + index // 4) % 256]) * frame.planes[1].buffer_size)
    frame.planes[2].update(bytes([(200 - seed * 40) % 256]) * frame.planes[2].buffer_size)
    frame.pts = index * 3000
    frame.time_base = fractions.Fraction(1, 90_000)
    return frame


def _record_camera(directory: Path, name: str, seconds: float, seed: int) -> ComposeSegment:
    codec = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90_000, payloadType=96)
    encoder = get_encoder(codec)
    recorder = TrackRecorder(directory, name, MediaCodec.VP8)
    sequence = 0
    for index in range(int(seconds * FPS)):
        payloads, timestamp = encoder.encode(_picture(index, seed), force_keyframe=index % 90 == 0)
        for position, payload in enumerate(payloads):
            packet = RtpPacket(
                payload_type=96,
                marker=int(position == len(payloads) - 1),
                sequence_number=sequence % 65536,
                timestamp=timestamp,
                ssrc=seed + 1,
                payload=payload,
            )
            sequence += 1
            recorder.on_rtp(packet, START + index / FPS)
    recorder.close()
    (info,) = recorder.segments
    return ComposeSegment(directory / info.file, info.start_wall_time, info.duration_ms)


def _record_microphone(directory: Path, name: str, seconds: float, hz: float) -> ComposeSegment:
    codec = RTCRtpCodecParameters(
        mimeType="audio/opus", clockRate=48_000, channels=2, payloadType=111
    )
    encoder = get_encoder(codec)
    recorder = TrackRecorder(directory, name, MediaCodec.OPUS)
    for index in range(int(seconds / 0.02)):
        audio = av.AudioFrame(format="s16", layout="stereo", samples=960)
        audio.sample_rate = 48_000
        audio.pts = index * 960
        audio.time_base = fractions.Fraction(1, 48_000)
        wave = (
            int(8000 * math.sin(2 * math.pi * hz * (index * 960 + n) / 48_000)).to_bytes(
                2, "little", signed=True
            )
            * 2
            for n in range(960)
        )
        audio.planes[0].update(b"".join(wave))
        payloads, timestamp = encoder.encode(audio)
        for payload in payloads:
            packet = RtpPacket(
                payload_type=111,
                sequence_number=index,
                timestamp=timestamp,
                ssrc=100 + int(hz),
                payload=payload,
            )
            recorder.on_rtp(packet, START + index * 0.02)
    recorder.close()
    (info,) = recorder.segments
    return ComposeSegment(directory / info.file, info.start_wall_time, info.duration_ms)


def record_meeting(directory: Path, seconds: float) -> tuple[ComposeTrack, ...]:
    tracks = []
    for seat in range(4):
        person = f"p{seat}"
        camera = _record_camera(directory, f"{person}-camera", seconds, seat)
        microphone = _record_microphone(
            directory, f"{person}-microphone", seconds, 300 + 150 * seat
        )
        tracks.append(ComposeTrack(f"Person {seat + 1}", person, "video", "camera", (camera,)))
        tracks.append(
            ComposeTrack(f"Person {seat + 1}", person, "audio", "microphone", (microphone,))
        )
    return tuple(tracks)


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # ffmpeg's user + system seconds
    machine_cpu: float  # every process's, over the same wall time


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def one_run(request: ComposeRequest, cpus: set[int] | None) -> Run:
    before = os.sched_getaffinity(0)
    if cpus is not None:  # ffmpeg inherits this process's CPUs
        os.sched_setaffinity(0, cpus)
    try:
        cpu, machine, began = _children_cpu(), machine_cpu_seconds(), time.perf_counter()
        await compose(request)
        wall = time.perf_counter() - began
        return Run(wall, _children_cpu() - cpu, machine_cpu_seconds() - machine)
    finally:
        os.sched_setaffinity(0, before)


async def measure(args: argparse.Namespace) -> str:
    rows = []
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="rapat-compose-") as folder:
        directory = Path(folder)
        began = time.perf_counter()
        tracks = record_meeting(directory, args.seconds)
        print(f"recorded 4 × {args.seconds:.0f} s in {time.perf_counter() - began:.1f} s")
        one_core = {min(os.sched_getaffinity(0))}
        variants: list[tuple[str, Container, int, set[int] | None]] = [
            ("one core, threads=1", "mp4", 1, one_core),
            ("all cores, ffmpeg's threads", "mp4", 0, None),
            ("one core, threads=1", "webm", 1, one_core),
            ("all cores, ffmpeg's threads", "webm", 0, None),
        ]
        for label, container, threads, cpus in variants:
            output = directory / f"out.{container}"
            request = ComposeRequest(
                tracks, START, START + args.seconds, output, container=container, threads=threads
            )
            runs = [await one_run(request, cpus) for _ in range(args.repeats)]
            loads.append(os.getloadavg()[0])
            wall = statistics.median(run.wall for run in runs)
            cpu = statistics.median(run.cpu for run in runs)
            others = statistics.median(max(0.0, run.machine_cpu - run.cpu) for run in runs)
            size = output.stat().st_size / 1e6
            print(f"{container} {label}: {args.seconds / wall:.2f}x real time, cpu {cpu:.1f} s")
            rows.append(
                f"| {container} | {label} | {args.seconds / wall:.2f}× | {wall:.1f} s | "
                f"{cpu / args.seconds:.2f} | {others / wall:.0%} | {size:.1f} MB |"
            )
    return (
        f"Four publishers for {args.seconds:.0f} s, each a 640x360 VP8 camera at 30 fps (a "
        "camera-like picture: shading, a moving band, texture; keyframe every 3 s) and an "
        "Opus microphone, "
        "recorded by the real `TrackRecorder`, composed into one 1280x720 25 fps file (2x2 "
        f"grid, names, the four tones mixed); median of {args.repeats} runs. Speed is media "
        "seconds per wall second; CPU is ffmpeg's user + system seconds per media second "
        "(over 1 on one core means slower than real time); other load is the CPU other "
        "processes used during the run (100% is one core). One core: ffmpeg pinned to one CPU with "
        "`threads=1` (encoder and filter graph; every decoder has one thread anyway).\n\n"
        "| output | run | speed | wall | CPU s per media s | other load | size |\n"
        "|---|---|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n\nLoad average (1 min) before and after each variant: "
        + ", ".join(f"{load:.2f}" for load in loads)
        + f" ({os.cpu_count()} cores)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    body = asyncio.run(measure(args))
    print(body)
    if not args.no_write:
        write_section("Recording compose", body)


if __name__ == "__main__":
    main()
