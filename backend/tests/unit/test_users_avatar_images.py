"""Avatar re-encoding: accepted formats by content, size limits, metadata stripped."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, ImageOps, PngImagePlugin

from rapat.services.avatar_images import (
    AVATAR_SIZE,
    MAX_INPUT_BYTES,
    ImageTooLarge,
    UnsupportedImage,
    check_dimensions,
    make_avatar,
)
from tests.image_samples import encode, halves, jpeg_with_exif, png_header_only


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("format", "mode", "size"),
    [
        ("PNG", "RGB", (300, 300)),
        ("PNG", "RGBA", (640, 480)),
        ("JPEG", "RGB", (3000, 2000)),
        ("WEBP", "RGB", (100, 500)),
        ("WEBP", "RGBA", (257, 256)),
        ("PNG", "L", (64, 32)),
    ],
)
def test_accepted_formats_become_square_pngs(format: str, mode: str, size: tuple[int, int]) -> None:
    image = Image.new(mode, size, 128 if mode == "L" else None)
    avatar = _open(make_avatar(encode(image, format)))
    assert avatar.format == "PNG"
    assert avatar.size == (AVATAR_SIZE, AVATAR_SIZE)
    assert avatar.mode == ("RGBA" if mode == "RGBA" else "RGB")


def test_transparency_of_a_palette_image_is_kept() -> None:
    image = Image.new("P", (50, 50), 0)
    image.putpalette([0, 0, 0, 255, 255, 255])
    avatar = _open(make_avatar(encode(image, "PNG", transparency=0)))
    assert avatar.mode == "RGBA"
    assert avatar.getpixel((128, 128)) == (0, 0, 0, 0)


def test_exif_orientation_is_applied_then_every_trace_of_it_removed() -> None:
    original = jpeg_with_exif((400, 200), orientation=6)
    assert b"SecretCam" in original
    data = make_avatar(original)
    assert b"SecretCam" not in data
    avatar = _open(data)
    assert not avatar.getexif()
    assert set(avatar.info) <= {"dpi", "gamma"}
    # Rotated upright, the red top half is on the right: the crop shows blue | red.
    left, right = avatar.getpixel((40, 128)), avatar.getpixel((216, 128))
    assert isinstance(left, tuple)
    assert isinstance(right, tuple)
    assert left[2] > 200 > left[0]
    assert right[0] > 200 > right[2]


def test_text_chunks_and_colour_profiles_do_not_survive() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "my home address")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = make_avatar(encode(halves((300, 300)), "PNG", pnginfo=info, icc_profile=profile))
    assert b"home address" not in data
    assert "icc_profile" not in _open(data).info


@pytest.mark.parametrize(
    "data",
    [
        b"hello, I am text pretending to be a picture\n",
        b"",
        encode(halves((20, 20)), "GIF"),
        encode(halves((20, 20)), "BMP"),
        encode(halves((20, 20)), "TIFF"),
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        encode(halves((200, 200)), "PNG")[:200],  # cut off in the middle
        jpeg_with_exif()[:300],
    ],
    ids=["text", "empty", "gif", "bmp", "tiff", "svg", "truncated-png", "truncated-jpeg"],
)
def test_anything_else_is_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedImage) as raised:
        make_avatar(data)
    assert raised.value.code == "unsupported_image"


@pytest.mark.parametrize(
    ("width", "height"),
    [(7_000, 7_000), (10_000, 10_000), (20_000, 20_000), (1, 50_000_000)],
    ids=["over-our-cap", "over-pillow-warning", "over-pillow-error", "one-long-line"],
)
def test_decompression_bombs_are_refused_before_decoding(width: int, height: int) -> None:
    with pytest.raises(ImageTooLarge) as raised:
        make_avatar(png_header_only(width, height))
    assert raised.value.code == "payload_too_large"


def test_size_limits() -> None:
    with pytest.raises(ImageTooLarge):
        make_avatar(b"\x89PNG" + b"\0" * MAX_INPUT_BYTES)
    with pytest.raises(UnsupportedImage):
        check_dimensions(0, 10)
    check_dimensions(4_000, 4_000)  # 16 megapixels: the cap itself is allowed


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_pillows_reference(orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    image = Image.new("RGB", (300, 300), (0, 0, 0))
    image.paste((255, 0, 0), (0, 0, 150, 100))  # one asymmetric corner mark
    original = encode(image, "PNG", exif=exif)
    reference = ImageOps.exif_transpose(_open(original)).resize((AVATAR_SIZE, AVATAR_SIZE))
    avatar = _open(make_avatar(original))
    for point in ((20, 20), (236, 20), (20, 236), (236, 236), (128, 40), (40, 128)):
        ours, theirs = avatar.getpixel(point), reference.getpixel(point)
        assert isinstance(ours, tuple)
        assert isinstance(theirs, tuple)
        assert abs(ours[0] - theirs[0]) < 60, (orientation, point)


# As in production, where Pillow's "Corrupt EXIF data" is a warning and not an error.
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_damaged_exif_block_is_ignored_not_fatal() -> None:
    garbage = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x05\x01\x12\x00\x03\xff\xff"
    data = encode(halves((300, 200)), "JPEG", exif=garbage)
    assert _open(make_avatar(data)).size == (AVATAR_SIZE, AVATAR_SIZE)
