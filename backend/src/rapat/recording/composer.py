"""Composes one recording into one video file by running ffmpeg (`compose`).

ffmpeg runs as a subprocess rather than through PyAV's bindings: its filter graph (scale,
overlay, drawtext, amix) and encoders do the work in C on their own threads, a crash or a
runaway stays in its own process, cancelling is a signal, and the job's event loop only
reads progress lines. Segment files are checked first (missing, empty, or not even a header:
skipped with a warning), because ffmpeg gives up on the whole command for one bad input;
a file cut off by a killed recorder has no index but opens, and is read to its last cluster.

The output is written to a temporary name beside `output` and renamed when complete, so a
reader never sees half a file; the label and filter-graph files live in a temporary
directory beside it. Cost: ffmpeg decodes every segment (one thread each) and encodes one
stream; with `threads=1`, the whole job stays on one core (docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import shutil
import tempfile
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import av
import structlog

from rapat.recording.compose_filtergraph import command, filter_graph, find_font
from rapat.recording.compose_plan import Plan, plan
from rapat.recording.compose_request import (
    ComposeError,
    ComposeRequest,
    ComposeResult,
    ComposeSegment,
    PictureSize,
)

log = structlog.get_logger("rapat.recording")

ProgressListener = Callable[[float], Awaitable[None] | None]
STDERR_LINES = 20  # of ffmpeg's, in the error of a failed compose
STOP_WAIT = 5.0  # seconds ffmpeg gets to exit on SIGTERM before SIGKILL


def readable(path: Path) -> bool:
    """The file exists, is not empty, and its first packet can be read."""
    try:
        if path.stat().st_size == 0:
            return False
        with av.open(str(path)) as container:
            return any(packet.size for packet in itertools.islice(container.demux(), 4))
    except (OSError, av.FFmpegError):
        return False


def picture_sizes(path: Path) -> tuple[PictureSize, ...]:
    """The size of the first keyframe and of each later one that differs. Only keyframes
    are decoded (a sender changes size only at one), on one thread."""
    sizes: list[PictureSize] = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_count = 1
        stream.codec_context.skip_frame = "NONKEY"
        first: float | None = None
        try:
            for frame in container.decode(stream):
                at = float(frame.time or 0.0)
                first = at if first is None else first
                if not sizes or (sizes[-1].width, sizes[-1].height) != (frame.width, frame.height):
                    sizes.append(PictureSize(at - first, frame.width, frame.height))
        except av.FFmpegError:  # a file cut off mid-cluster: what came before stands
            pass
    return tuple(sizes)


def usable(request: ComposeRequest) -> tuple[ComposeRequest, tuple[Path, ...]]:
    """The request without the segments ffmpeg could not read (and those skipped); video
    segments with their picture sizes."""
    skipped: list[Path] = []
    tracks = []
    for track in request.tracks:
        kept: list[ComposeSegment] = []
        for segment in track.segments:
            if not readable(segment.path):
                skipped.append(segment.path)
                log.warning("compose_segment_skipped", path=str(segment.path))
            elif track.kind == "video":
                kept.append(replace(segment, sizes=picture_sizes(segment.path)))
            else:
                kept.append(segment)
        tracks.append(replace(track, segments=tuple(kept)))
    if request.tracks and not any(track.segments for track in tracks):
        raise ComposeError("no segment file of the recording could be read")
    return replace(request, tracks=tuple(tracks)), tuple(skipped)


def composer_available(program: str = "ffmpeg") -> bool:
    """ffmpeg is installed: without it no recording could be composed, so none is made."""
    return shutil.which(program) is not None


async def compose(
    request: ComposeRequest, on_progress: ProgressListener | None = None
) -> ComposeResult:
    """Writes `request.output`. Raises `ComposeError`; cancelling stops ffmpeg."""
    if not request.tracks:
        raise ComposeError("the recording has no tracks")
    if shutil.which(request.ffmpeg) is None:
        raise ComposeError(f"{request.ffmpeg} was not found (install the ffmpeg package)")
    checked, skipped = await asyncio.to_thread(usable, request)
    layout = plan(checked)
    font = request.font or find_font()
    if font is None:
        log.warning("compose_no_font", detail="tiles are shown without names")
    output = request.output
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".compose-", dir=output.parent) as work_dir:
        work = Path(work_dir)
        script = work / "graph.txt"
        script.write_text(filter_graph(layout, font, work), encoding="utf-8")
        partial = work / f"output.{request.container}"
        args = command(layout, script, partial, request.container, request.threads)
        await _run(request.ffmpeg, args, layout, on_progress)
        partial.replace(output)
    duration_ms = await asyncio.to_thread(_duration_ms, output)
    log.info("compose_done", output=str(output), duration_ms=duration_ms, skipped=len(skipped))
    return ComposeResult(
        output=output,
        duration_ms=duration_ms,
        size_bytes=output.stat().st_size,
        skipped=skipped,
        hidden_tiles=layout.hidden_tiles,
    )


def _duration_ms(path: Path) -> int:
    with av.open(str(path)) as container:
        return int((container.duration or 0) * 1000 // av.time_base)


async def _run(
    program: str, args: list[str], layout: Plan, on_progress: ProgressListener | None
) -> None:
    process = await asyncio.create_subprocess_exec(
        program,
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    tail: deque[str] = deque(maxlen=STDERR_LINES)
    try:
        await asyncio.gather(
            _progress(process.stdout, layout.duration, on_progress),
            _collect(process.stderr, tail),
        )
        code = await process.wait()
    except BaseException:  # cancelled (or the listener failed): ffmpeg must not linger
        await _stop(process)
        raise
    if code != 0:
        lines = "\n".join(tail) or "(nothing on stderr)"
        raise ComposeError(f"ffmpeg exited with status {code}:\n{lines}")


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), STOP_WAIT)
    except TimeoutError:
        process.kill()
        await process.wait()


async def _collect(stream: asyncio.StreamReader, tail: deque[str]) -> None:
    async for raw in stream:
        line = raw.decode(errors="replace").rstrip()
        if line:
            tail.append(line)


async def _progress(
    stream: asyncio.StreamReader, duration: float, on_progress: ProgressListener | None
) -> None:
    """`-progress` writes `key=value` blocks; `out_time_us` is how far the output got."""
    reported = -1.0
    async for raw in stream:
        key, _, value = raw.decode(errors="replace").strip().partition("=")
        if key != "out_time_us" or on_progress is None:
            continue
        with contextlib.suppress(ValueError):
            done = min(max(int(value) / 1e6 / duration, 0.0), 1.0)
            if done - reported >= 0.01 or (done == 1.0 and reported < 1.0):
                reported = done
                result = on_progress(done)
                if inspect.isawaitable(result):
                    await result
