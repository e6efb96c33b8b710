"""Compose on real recordings: segments written by the `TrackRecorder` from aiortc's VP8
and Opus encoders, composed by ffmpeg, and the result decoded and looked at: duration,
each publisher's colour in its tile only while they are there, both tones in the mix."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from pathlib import Path

import pytest

from rapat.recording.compose_request import (
    ComposeError,
    ComposeRequest,
    ComposeSegment,
    ComposeTrack,
)
from rapat.recording.composer import compose
from rapat.recording.media_codecs import MediaCodec
from rapat.recording.track_recorder import TrackRecorder
from tests.compose_checks import frames_at, grid_points, mono, near, pixel, tone_share
from tests.compose_media import BLUE, RED, START, colour_packets, record, tone_packets
from tests.recording_files import feed

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (make ffmpeg)")

SIZE = (640, 360)
LEFT, RIGHT, MIDDLE = (160, 180), (480, 180), (320, 180)  # tile centres at 640x360


def _meeting(directory: Path) -> tuple[ComposeTrack, ...]:
    """Ana (red, 440 Hz) from 0.5 s to 7.5 s; Budi (blue, 1000 Hz) from 3 s, his camera
    off from 4.5 s to 6 s."""
    vp8, opus = MediaCodec.VP8, MediaCodec.OPUS
    ana_camera = record(directory, "a-cam", vp8, [(0.5, colour_packets(RED, 7))])
    ana_mic = record(directory, "a-mic", opus, [(0.5, tone_packets(440, 7))])
    budi_parts = [(3.0, colour_packets(BLUE, 1.5)), (6.0, colour_packets(BLUE, 1.5))]
    budi_camera = record(directory, "b-cam", vp8, budi_parts)
    budi_mic = record(directory, "b-mic", opus, [(3, tone_packets(1000, 4.5))])
    return (
        ComposeTrack("Ana", "a", "video", "camera", ana_camera),
        ComposeTrack("Ana", "a", "audio", "microphone", ana_mic),
        ComposeTrack("Budi", "b", "video", "camera", budi_camera),
        ComposeTrack("Budi", "b", "audio", "microphone", budi_mic),
    )


def _request(tracks: tuple[ComposeTrack, ...], output: Path, **options: object) -> ComposeRequest:
    width, height = SIZE
    return ComposeRequest(
        tracks,
        START,
        START + 8,
        output,
        width=width,
        height=height,
        fps=15,
        **options,  # type: ignore[arg-type]
    )


def _leftovers(directory: Path, output: str) -> list[Path]:
    return [p for p in directory.iterdir() if p.name == output or p.name.startswith(".compose-")]


def _ffmpeg_children() -> list[int]:
    """ffmpeg processes this test process started and that still run."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)
            parent = int(fields[1].split()[1])
            if parent == os.getpid() and fields[0].endswith("(ffmpeg"):
                found.append(int(stat.parent.name))
    return found


@pytest.mark.parametrize("container", ["mp4", "webm"])
async def test_two_publishers_are_composed_in_place_and_in_time(
    tmp_path: Path, container: str
) -> None:
    output = tmp_path / f"meeting.{container}"
    progress: list[float] = []
    result = await compose(
        _request(_meeting(tmp_path), output, container=container), progress.append
    )

    assert result.duration_ms == pytest.approx(8000, abs=200)
    assert result.size_bytes == output.stat().st_size > 0
    assert progress == sorted(progress)
    assert progress[-1] == 1.0
    frames = frames_at(output, [0.2, 2.0, 4.0, 5.2, 7.0, 7.9])
    assert set(frames) == {0.2, 2.0, 4.0, 5.2, 7.0, 7.9}  # decodes to the end
    # Before anyone: no colour. Ana alone: her tile fills the middle, no blue anywhere.
    assert not any(near(p, RED) or near(p, BLUE) for p in grid_points(frames[0.2]))
    assert near(pixel(frames[2.0], *MIDDLE), RED)
    assert not any(near(p, BLUE) for p in grid_points(frames[2.0]))
    # Budi joined: two tiles, by arrival; his camera off, his tile has no blue; back on.
    assert near(pixel(frames[4.0], *LEFT), RED)
    assert near(pixel(frames[4.0], *RIGHT), BLUE)
    assert near(pixel(frames[5.2], *LEFT), RED)
    assert not any(near(p, BLUE) for p in grid_points(frames[5.2]))
    assert near(pixel(frames[7.0], *LEFT), RED)
    assert near(pixel(frames[7.0], *RIGHT), BLUE)

    samples, rate = mono(output)
    assert len(samples) / rate == pytest.approx(8.0, abs=0.2)
    assert tone_share(samples, rate, 1.0, 2.5, 440) > 0.8
    assert tone_share(samples, rate, 1.0, 2.5, 1000) < 0.05
    both = (tone_share(samples, rate, 3.5, 4.5, 440), tone_share(samples, rate, 3.5, 4.5, 1000))
    assert both[0] > 0.3
    assert both[1] > 0.3
    assert tone_share(samples, rate, 0.0, 0.4, 440) < 0.05  # silence before Ana


async def test_a_cut_off_segment_and_missing_files_are_composed_around(tmp_path: Path) -> None:
    # A recorder never closed leaves the file as kill -9 would: no index, no duration.
    recorder = TrackRecorder(tmp_path, "cut", MediaCodec.VP8)
    feed(recorder, colour_packets(RED, 5), offset=0.0)
    cut = tmp_path / "cut-0001.webm"
    truncated = tmp_path / "truncated.webm"  # and one cut mid-cluster
    truncated.write_bytes(cut.read_bytes()[: cut.stat().st_size * 2 // 3])
    empty = tmp_path / "empty.webm"
    empty.touch()
    gone = tmp_path / "gone.webm"
    tracks = (
        ComposeTrack("Cut", "c", "video", "camera", (ComposeSegment(cut, START, 5000),)),
        ComposeTrack("Trunc", "t", "video", "camera", (ComposeSegment(truncated, START, 5000),)),
        ComposeTrack(
            "Gone", "g", "audio", "microphone",
            (ComposeSegment(gone, START, 5000), ComposeSegment(empty, START, 100)),
        ),
    )  # fmt: skip
    output = tmp_path / "out.mp4"
    result = await compose(_request(tracks, output))
    del recorder

    assert result.duration_ms == pytest.approx(8000, abs=200)
    assert set(result.skipped) == {gone, empty}
    frames = frames_at(output, [1.0, 2.0])
    assert near(pixel(frames[1.0], 160, 180), RED)  # "Cut" (first of three tiles in a row)
    assert near(pixel(frames[2.0], 160, 180), RED)


async def test_a_camera_that_changes_resolution_mid_file_stays_in_its_tile(
    tmp_path: Path,
) -> None:
    # 16:9 at 320x180, then 4:3 at 160x120: ffmpeg must not rebuild the graph (which would
    # restart the canvas at zero), and the smaller picture is letterboxed in the same tile.
    packets = colour_packets(RED, 6, later_size=(160, 120))
    camera = record(tmp_path, "cam", MediaCodec.VP8, [(1.0, packets)])
    assert len(camera) == 1
    tracks = (ComposeTrack("Ana", "a", "video", "camera", camera),)
    output = tmp_path / "out.mp4"
    result = await compose(_request(tracks, output))

    assert result.duration_ms == pytest.approx(8000, abs=200)
    frames = frames_at(output, [2.0, 6.0, 7.9])
    assert near(pixel(frames[2.0], 40, 180), RED)  # 16:9 fills the tile's width
    assert near(pixel(frames[6.0], *MIDDLE), RED)
    assert not near(pixel(frames[6.0], 40, 180), RED)  # 4:3: bars left and right
    assert not near(pixel(frames[7.9], *MIDDLE), RED)  # the camera ended at 7 s


async def test_failures_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ComposeError, match="no tracks"):
        await compose(_request((), tmp_path / "a.mp4"))
    missing = (
        ComposeTrack(
            "A", "a", "audio", "microphone", (ComposeSegment(tmp_path / "x.webm", START, 10),)
        ),
    )
    with pytest.raises(ComposeError, match="could be read"):
        await compose(_request(missing, tmp_path / "b.mp4"))
    # ffmpeg itself fails (a "microphone" whose file holds video): its own words end it.
    tracks = _meeting(tmp_path)
    camera = tracks[0].segments
    mislabelled = (*tracks, ComposeTrack("Ana", "a", "audio", "microphone", camera))
    with pytest.raises(
        ComposeError, match=r"(?s)ffmpeg exited with status \d+:.*matches no streams"
    ):
        await compose(_request(mislabelled, tmp_path / "c.mp4"))
    assert not _leftovers(tmp_path, "c.mp4")  # nor the work directory


async def test_cancelling_stops_ffmpeg_and_leaves_nothing(tmp_path: Path) -> None:
    tracks = _meeting(tmp_path)
    long = ComposeRequest(tracks, START, START + 3600, tmp_path / "long.mp4", width=640, height=360)
    started = asyncio.Event()
    task = asyncio.create_task(compose(long, lambda done: started.set()))
    await asyncio.wait_for(started.wait(), 20)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not _leftovers(tmp_path, "long.mp4")
    assert not _ffmpeg_children()
