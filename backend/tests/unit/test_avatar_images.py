"""Header checks on uploaded pictures, before anything is decoded."""

from __future__ import annotations

import pytest
from PIL import Image

from rapat.services.avatar_images import (
    MAX_INPUT_PIXELS,
    ImageTooLarge,
    check_dimensions,
    open_upload,
    webp_canvas,
)
from tests.image_samples import encode, halves, png_header_only, webp_claiming


@pytest.mark.parametrize(
    "options",
    [{}, {"lossless": True}, {"exif": b"Exif\0\0"}],
    ids=["lossy-vp8", "lossless-vp8l", "extended-vp8x"],
)
def test_webp_canvas_reads_each_header_kind(options: dict[str, object]) -> None:
    data = encode(halves((300, 123)), "WEBP", **options)
    assert webp_canvas(data) == (300, 123)


def test_webp_canvas_of_other_files() -> None:
    assert webp_canvas(encode(halves((30, 30)), "PNG")) is None
    assert webp_canvas(encode(halves((30, 30)), "WEBP")[:20]) is None
    assert webp_canvas(webp_claiming(10_000, 9_000)) == (10_000, 9_000)


def test_the_pixel_cap_is_inclusive() -> None:
    check_dimensions(4_000, 4_000)
    assert MAX_INPUT_PIXELS == 4_000 * 4_000
    with pytest.raises(ImageTooLarge):
        check_dimensions(4_001, 4_000)


def test_pillow_bomb_warnings_are_refused_where_warnings_are_not_errors() -> None:
    # In production Pillow's DecompressionBombWarning is only a warning: our cap refuses.
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(ImageTooLarge):
        open_upload(png_header_only(10_000, 10_000))
