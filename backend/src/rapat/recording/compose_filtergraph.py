"""A `Plan` as an ffmpeg command line and filter graph (`-filter_complex_script`).

Video: a dark canvas at the output's size and frame rate drives the output; it gets the
tiles' backgrounds (`drawbox`, only while no picture fills the tile: a third of the graph's
time otherwise) and the names of people without video (large, `drawtext`); every piece of a
segment is scaled into its tile (aspect kept, centred, so letterboxed on the tile's
background) and overlaid for its span, then every tile gets its name along the bottom.
Pieces carry output timestamps (`setpts` adds the segment's offset, `trim` cuts the
interval), so `overlay` shows each only in its span: before its first frame and after its
last (`eof_action=pass`) the canvas shows through. A segment in several intervals is
decoded once and `split`. Its inputs are opened with `-reinit_filter 0`, because WebRTC
senders change resolution mid-stream and ffmpeg would otherwise rebuild the whole graph
(sources restart at zero); `scale` takes a new input size on its own and `overlay` centres
each frame by its own size. `scale`, though, keeps its output size when its input changes:
the composer therefore reads each file's keyframe sizes first, and a piece is cut where the
size changes, each part scaled to its own fitted size (`compose_layout.fit`).

Audio: every segment is resampled to 48 kHz stereo, shifted to its offset, and its gaps
(and the time before it) filled with silence (`aresample=async=1:first_pts=0`), then all
are summed by `amix` with `normalize=0`, so a voice is as loud with ten people as with two,
and padded or cut to the output's length.

Names go through `textfile=` (written into the job's work directory), never through the
filter graph's quoting, so any name is safe; `expansion=none` keeps `%` literal.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapat.recording.compose_layout import Rect
from rapat.recording.compose_plan import Plan, Span, VideoInput
from rapat.recording.compose_request import Container

FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian: fonts-dejavu-core
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),  # Fedora, Alpine
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),  # Arch
)
CANVAS = "0x111111"
TILE = "0x262626"
LABEL_BOX = "black@0.55"

ENCODERS: dict[Container, tuple[str, ...]] = {
    # veryfast: about 3x the speed of the default preset for a few % more bits; the
    # ceiling keeps decoded camera noise from taking 10+ Mbit/s at 720p.
    "mp4": (
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-maxrate", "2500k",
        "-bufsize", "5M", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4",
    ),
    # realtime/cpu-used 8: libvpx's fastest; -crf with a bitrate ceiling keeps still
    # scenes (a shared slide) small.
    "webm": (
        "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-crf", "10",
        "-b:v", "2M", "-c:a", "libopus", "-b:a", "96k", "-f", "webm",
    ),
}  # fmt: skip


def find_font(candidates: Sequence[Path] = FONTS) -> Path | None:
    return next((path for path in candidates if path.is_file()), None)


def fit_text(text: str, width: int, size: int) -> str:
    """`text` cut (with an ellipsis) to about what fits `width` pixels at `size`."""
    room = max(1, int(width / (size * 0.6)))  # DejaVu Sans averages ~0.6 em per character
    return text if len(text) <= room else text[: max(room - 1, 0)].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _during(spans: Sequence[Span]) -> str:
    terms = [f"gte(t,{_number(s.start)})*lt(t,{_number(s.end)})" for s in spans]
    return "'" + "+".join(terms) + "'"


@dataclass
class _Texts:
    """Writes each text to its own file for drawtext's `textfile`."""

    directory: Path
    count: int = 0

    def file(self, text: str) -> str:
        self.count += 1
        path = self.directory / f"text-{self.count}.txt"
        path.write_text(text, encoding="utf-8")
        return str(path)


def _drawtext(font: str, textfile: str, size: int, *, x: str, y: str, when: str, box: bool) -> str:
    boxed = f":box=1:boxcolor={LABEL_BOX}:boxborderw={max(2, size // 4)}" if box else ""
    return (
        f"drawtext=fontfile='{font}':textfile='{textfile}':expansion=none:fontsize={size}"
        f":fontcolor=white{boxed}:x={x}:y={y}:enable={when}"
    )


def _canvas(plan: Plan, font: str | None, texts: _Texts) -> list[str]:
    """The canvas's filters: tile backgrounds and the names of tiles without video."""
    filters = [
        f"color=c={CANVAS}:s={plan.width}x{plan.height}:r={plan.fps}:d={_number(plan.duration)}"
    ]
    filters.append("format=yuv420p")
    for backdrop in plan.backdrops:
        r, when = backdrop.rect, _during(backdrop.spans)
        filters.append(f"drawbox=x={r.x}:y={r.y}:w={r.w}:h={r.h}:color={TILE}:t=fill:enable={when}")
    if font is None:
        return filters
    for card in plan.cards:
        r = card.rect
        size = max(12, min(48, r.h // 7))
        path = texts.file(fit_text(card.label, r.w - 16, size))
        x, y = f"{r.x}+({r.w}-text_w)/2", f"{r.y}+({r.h}-text_h)/2"
        filters.append(_drawtext(font, path, size, x=x, y=y, when=_during(card.spans), box=False))
    return filters


def _labels(plan: Plan, font: str, texts: _Texts) -> list[str]:
    filters = []
    for interval in plan.intervals:
        when = _during([interval.span])
        for place in interval.placements:
            r = place.rect
            size = max(10, min(22, r.h // 12))
            pad = max(2, size // 4)
            path = texts.file(fit_text(place.label, r.w - 4 * pad, size))
            x, y = f"{r.x + 2 * pad}", f"{r.y + r.h - size - 3 * pad}"
            filters.append(_drawtext(font, path, size, x=x, y=y, when=when, box=True))
    return filters


def _pieces(index: int, item: VideoInput, first: int) -> tuple[list[str], list[Rect]]:
    """Input `index`'s chain: placed on the output's clock, split, one branch per piece."""
    chain = f"[{index}:v]setpts=PTS-STARTPTS+{_number(item.offset)}/TB"
    if item.hold > 0:
        chain += f",tpad=stop_mode=clone:stop_duration={_number(item.hold)}"
    count = len(item.pieces)
    names = [f"[s{first + n}]" for n in range(count)]
    chain += f",split={count}{''.join(names)}" if count > 1 else names[0]
    lines = [chain]
    for n, piece in enumerate(item.pieces):
        r, picture = piece.rect, piece.picture
        if picture is None:  # size unknown: fitted to the first frame's shape
            scale = f"w={r.w}:h={r.h}:force_original_aspect_ratio=decrease:force_divisible_by=2"
        else:
            scale = f"w={picture.w}:h={picture.h}"
        lines.append(
            f"{names[n]}trim=start={_number(piece.span.start)}:end={_number(piece.span.end)},"
            f"scale={scale},format=yuv420p[p{first + n}]"
        )
    return lines, [piece.picture or piece.rect for piece in item.pieces]


def _audio(plan: Plan, first_input: int) -> list[str]:
    duration = _number(plan.duration)
    if not plan.audio:
        return [f"anullsrc=r=48000:cl=stereo,atrim=end={duration}[aout]"]
    lines = []
    for n, item in enumerate(plan.audio):
        lines.append(
            f"[{first_input + n}:a]"
            "aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,"
            f"asetpts=PTS-STARTPTS+{_number(item.offset)}/TB,atrim=start=0,"
            f"aresample=async=1:first_pts=0[a{n}]"
        )
    inputs = "".join(f"[a{n}]" for n in range(len(plan.audio)))
    lines.append(
        f"{inputs}amix=inputs={len(plan.audio)}:duration=longest:normalize=0,"
        f"apad=whole_dur={duration},atrim=end={duration}[aout]"
    )
    return lines


def filter_graph(plan: Plan, font: Path | None, work: Path) -> str:
    """The filter graph's text; label files are written into `work`."""
    texts = _Texts(work)
    font_arg = None
    if font is not None:  # a copy with a plain name needs no escaping in the graph
        font_arg = str(shutil.copyfile(font, work / "font.ttf"))
    lines = [",".join(_canvas(plan, font_arg, texts)) + "[c0]"]
    rects: list[Rect] = []
    for index, item in enumerate(plan.video):
        chains, placed = _pieces(index, item, len(rects))
        lines.extend(chains)
        rects.extend(placed)
    for n, r in enumerate(rects):
        x, y = f"{r.x}+({r.w}-overlay_w)/2", f"{r.y}+({r.h}-overlay_h)/2"
        lines.append(f"[c{n}][p{n}]overlay=x={x}:y={y}:eof_action=pass:format=yuv420[c{n + 1}]")
    labels = _labels(plan, font_arg, texts) if font_arg is not None else []
    lines.append(f"[c{len(rects)}]" + ",".join([*labels, "null"]) + "[vout]")
    lines.extend(_audio(plan, len(plan.video)))
    return ";\n".join(lines) + "\n"


def command(
    plan: Plan, script: Path, output: Path, container: Container, threads: int
) -> list[str]:
    """ffmpeg's arguments (without the program): inputs, the graph in `script`, encoders."""
    args = ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-y"]
    args += ["-progress", "pipe:1"]
    for item in plan.video:  # one decoder thread each: a meeting may open dozens of inputs
        args += ["-threads", "1", "-reinit_filter", "0", "-i", item.path]
    for sound in plan.audio:
        args += ["-threads", "1", "-i", sound.path]
    if threads:
        args += ["-filter_complex_threads", str(threads)]
    args += ["-filter_complex_script", str(script), "-map", "[vout]", "-map", "[aout]"]
    args += list(ENCODERS[container])
    if threads:
        args += ["-threads", str(threads)]
    args += ["-r", str(plan.fps), "-t", _number(plan.duration), str(output)]
    return args
