"""The compose step's layout and timeline, without ffmpeg."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from rapat.recording.compose_filtergraph import filter_graph, fit_text
from rapat.recording.compose_layout import Rect, arrange, fit, grid, grid_columns, with_screen
from rapat.recording.compose_plan import Span, merge, plan, subtract
from rapat.recording.compose_request import (
    ComposeError,
    ComposeRequest,
    ComposeSegment,
    ComposeTrack,
    PictureSize,
)

T0 = 1_800_000_000.0


def _overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _valid(rects: list[Rect], width: int, height: int) -> bool:
    inside = all(
        r.x >= 0 and r.y >= 0 and r.x + r.w <= width and r.y + r.h <= height for r in rects
    )
    even = all(v % 2 == 0 for r in rects for v in (r.x, r.y, r.w, r.h))
    apart = not any(_overlap(a, b) for a, b in itertools.combinations(rects, 2))
    return inside and even and apart


@pytest.mark.parametrize(
    ("count", "columns"), [(1, 1), (2, 2), (3, 2), (4, 2), (5, 3), (9, 3), (16, 4)]
)
def test_the_grid_picks_the_columns_that_show_video_largest(count: int, columns: int) -> None:
    assert grid_columns(count, 1280, 720) == columns
    rects = grid(count, 1280, 720)
    assert len(rects) == count
    assert _valid(rects, 1280, 720)
    assert all(abs(r.w / r.h - 16 / 9) < 0.05 for r in rects)


def test_one_tile_fills_the_canvas_and_a_short_last_row_is_centred() -> None:
    (one,) = grid(1, 1280, 720)
    assert one.w >= 1248
    assert one.h >= 700
    assert abs((one.x + one.w / 2) - 640) <= 2
    three = grid(3, 1280, 720)
    assert three[0].y == three[1].y < three[2].y
    # The last row's single tile sits in the middle.
    assert abs((three[2].x + three[2].w / 2) - 640) <= 2


def test_a_screen_share_is_large_and_the_others_stand_in_a_strip() -> None:
    screen, strip = with_screen(3, 1280, 720)
    assert screen.w > 1000
    assert screen.h == 720
    assert _valid([screen, *strip], 1280, 720)
    assert all(r.x > screen.x + screen.w for r in strip)
    many = with_screen(15, 1280, 720)[1]
    assert _valid(many, 1280, 720)
    assert with_screen(0, 1280, 720) == (Rect(0, 0, 1280, 720), [])
    placed = arrange(["person:a", "screen:1", "person:b"], {"screen:1"}, 1280, 720)
    assert placed["screen:1"] == screen_of(2)


def screen_of(others: int) -> Rect:
    return with_screen(others, 1280, 720)[0]


def test_spans_merge_and_subtract() -> None:
    assert merge([Span(3, 4), Span(0, 1), Span(1.5, 2)], bridge=0.5) == [Span(0, 2), Span(3, 4)]
    assert merge([Span(2, 2)]) == []
    assert subtract(Span(0, 10), [Span(1, 2), Span(5, 12)]) == [Span(0, 1), Span(2, 5)]


def _segment(start: float, seconds: float, name: str = "x") -> ComposeSegment:
    return ComposeSegment(Path(f"/r/{name}-{start}.webm"), T0 + start, int(seconds * 1000))


def _track(person: str, kind: str, source: str, *segments: ComposeSegment) -> ComposeTrack:
    return ComposeTrack(person.title(), person, kind, source, segments)  # type: ignore[arg-type]


def _request(*tracks: ComposeTrack, seconds: float = 10, **options: object) -> ComposeRequest:
    return ComposeRequest(tracks, T0, T0 + seconds, Path("/r/out.mp4"), **options)  # type: ignore[arg-type]


def test_the_layout_changes_when_someone_joins_and_leaves() -> None:
    result = plan(
        _request(
            _track("a", "video", "camera", _segment(0, 10)),
            _track("b", "audio", "microphone", _segment(3, 4.1)),  # 3 s to 7.12 s
        )
    )
    spans = [(i.span.start, i.span.end) for i in result.intervals]
    keys = [[p.key for p in i.placements] for i in result.intervals]
    assert spans == [(0, 3), (3, 7.12), (7.12, 10)]  # rounded to 25 fps frames
    assert keys == [["person:a"], ["person:a", "person:b"], ["person:a"]]
    # Ana's one segment is cut into one piece per interval, each in that interval's tile.
    (video,) = result.video
    assert [p.span for p in video.pieces] == [Span(0, 3), Span(3, 7.12), Span(7.12, 10)]
    assert video.pieces[0].rect != video.pieces[1].rect == result.intervals[1].placements[0].rect
    # Budi has no camera: his name fills his tile while he is there.
    assert [(c.label, c.spans) for c in result.cards] == [("B", (Span(3, 7.12),))]
    assert [a.offset for a in result.audio] == [3.0]


def test_a_camera_gap_shows_the_name_without_moving_anyone() -> None:
    result = plan(
        _request(
            _track("a", "video", "camera", _segment(0, 2), _segment(5, 5)),
            _track("a", "audio", "microphone", _segment(0, 10)),
        )
    )
    assert len(result.intervals) == 1  # present throughout (the microphone)
    (card,) = result.cards
    assert card.spans == (Span(2.04, 5),)


def test_short_absences_do_not_change_the_layout() -> None:
    result = plan(
        _request(
            _track("a", "video", "camera", _segment(0, 10)),
            _track("b", "video", "camera", _segment(0, 4), _segment(4.6, 5.4)),  # a reconnect
        )
    )
    assert len(result.intervals) == 1


def test_published_spans_decide_presence_and_times_are_clipped() -> None:
    early = ComposeTrack(
        "A", "a", "video", "camera", (_segment(-2, 5),), published=(T0 - 3, T0 + 20)
    )
    result = plan(_request(early))
    assert [i.span for i in result.intervals] == [Span(0, 10)]
    (video,) = result.video
    assert video.offset == -2.0  # the file started before the recording: cut, not shifted
    assert [p.span for p in video.pieces] == [Span(0, 3.04)]


def test_a_screen_share_takes_the_stage_and_holds_its_last_frame() -> None:
    result = plan(
        _request(
            _track("a", "video", "camera", _segment(0, 10)),
            ComposeTrack(
                "A",
                "a",
                "video",
                "screen",
                (_segment(2, 1), _segment(5, 1)),
                published=(T0 + 2, T0 + 8),
            ),
        )
    )
    stage = result.intervals[1]
    assert stage.span == Span(2, 8)
    assert [p.key for p in stage.placements] == ["screen:1", "person:a"]
    assert stage.placements[0].rect == with_screen(1, 1280, 720)[0]
    screens = [v for v in result.video if v.offset in (2.0, 5.0)]
    assert [round(v.hold, 2) for v in screens] == [1.96, 1.96]  # to the next segment, the end
    assert all(p.label == "A (screen)" for p in stage.placements[:1])


def test_past_max_tiles_the_latest_are_heard_not_shown() -> None:
    people = [_track(f"p{n}", "audio", "microphone", _segment(n * 0.1, 9)) for n in range(5)]
    result = plan(_request(*people, max_tiles=3))
    assert max(len(i.placements) for i in result.intervals) == 3
    assert result.hidden_tiles == 2
    assert len(result.audio) == 5


def test_nothing_to_compose_is_an_error() -> None:
    with pytest.raises(ComposeError, match="no tracks"):
        plan(_request())
    with pytest.raises(ComposeError, match="stopped before"):
        plan(_request(_track("a", "audio", "microphone", _segment(0, 1)), seconds=0))


def test_names_reach_ffmpeg_through_files_whatever_they_hold(tmp_path: Path) -> None:
    name = "O'Brien: 100% [ok]; \\n,"
    track = ComposeTrack(name, "o", "audio", "microphone", (_segment(0, 5),))
    font = tmp_path / "f.ttf"
    font.write_bytes(b"font")
    graph = filter_graph(plan(_request(track)), font, tmp_path)
    assert name not in graph
    assert "O'Brien" not in graph
    texts = {p.read_text(encoding="utf-8") for p in tmp_path.glob("text-*.txt")}
    assert name in texts
    assert "[vout]" in graph
    assert "[aout]" in graph
    assert "drawtext" not in filter_graph(plan(_request(track)), None, tmp_path)  # no font


def test_long_names_are_cut_to_the_tile() -> None:
    assert fit_text("Ana", 300, 20) == "Ana"
    cut = fit_text("Bartholomew Fitzgerald-Montgomery", 120, 20)
    assert cut.endswith("…")
    assert len(cut) == 10


def test_a_picture_is_fitted_to_its_tile_and_refitted_when_its_shape_changes() -> None:
    tile = Rect(100, 50, 640, 360)
    assert fit(tile, 1280, 720) == tile
    assert fit(tile, 480, 640) == Rect(284, 50, 270, 360)  # portrait: bars either side, even x
    sizes = (PictureSize(0, 1280, 720), PictureSize(4.0, 480, 640))
    camera = ComposeSegment(Path("/r/cam.webm"), T0 + 1, 8000, sizes)
    (video,) = plan(_request(_track("a", "video", "camera", camera))).video
    assert [(p.span, p.picture) for p in video.pieces] == [
        (Span(1, 5), fit(video.pieces[0].rect, 1280, 720)),
        (Span(5, 9.04), fit(video.pieces[0].rect, 480, 640)),
    ]
    # The tile's background is drawn only while the picture leaves bars (the portrait part).
    result = plan(_request(_track("a", "video", "camera", camera)))
    assert [b.spans for b in result.backdrops] == [(Span(5, 9.04),)]
