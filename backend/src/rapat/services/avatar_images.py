"""Turning an uploaded picture into a safe avatar: pure functions, CPU-bound (run them in a
worker thread).

The upload is identified by its bytes alone (never its name or declared type), decoded
only when its header promises a reasonable size, and drawn again from pixels into a new
PNG, so nothing of the original file (metadata, extra chunks, trailing data) survives.
"""

from __future__ import annotations

import io
import struct

from PIL import Image, ImageOps

from rapat.domain.errors import InvalidInput

AVATAR_SIZE = 256
AVATAR_CONTENT_TYPE = "image/png"
MAX_INPUT_BYTES = 2 * 1024 * 1024
# Decoding costs memory per pixel, whatever the file size: a tiny PNG can claim to be
# 50,000 x 50,000. 16 megapixels (64 MiB decoded) is more than a 2 MiB photo holds; the
# decoder pool bounds how many such decodes run at once (decision 40).
MAX_INPUT_PIXELS = 16_000_000
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP")
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
# What Pillow raises on damaged or hostile files. Warnings (such as a malformed EXIF block)
# are caught where they are errors, as under the test suite's filter.
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, Warning)
_ORIENTATION_TAG = 0x0112
# EXIF orientation -> the transposition that makes the picture upright.
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class UnsupportedImage(InvalidInput):
    code = "unsupported_image"


class ImageTooLarge(InvalidInput):
    code = "payload_too_large"


def _unsupported() -> UnsupportedImage:
    return UnsupportedImage("Upload a PNG, JPEG or WebP picture.")


def check_upload_size(size: int) -> None:
    if size > MAX_INPUT_BYTES:
        raise ImageTooLarge(f"The picture is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB.")


def check_dimensions(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise _unsupported()
    if width * height > MAX_INPUT_PIXELS:
        raise ImageTooLarge(f"The picture has more than {MAX_INPUT_PIXELS:,} pixels.")


def webp_canvas(data: bytes) -> tuple[int, int] | None:
    """The canvas size a WebP file declares, read from its first chunk header; None when
    `data` is no WebP or the header is cut short."""
    if len(data) < 30 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", data, 26)
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        return width, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def open_upload(data: bytes) -> Image.Image:
    """The upload opened lazily (header only), once its format and size are acceptable."""
    check_upload_size(len(data))
    # Pillow's WebP reader allocates the whole canvas as it opens the file: check first.
    if (canvas := webp_canvas(data)) is not None:
        check_dimensions(*canvas)
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own, higher limit; the warning is an error wherever warnings are errors.
        raise ImageTooLarge(f"The picture has more than {MAX_INPUT_PIXELS:,} pixels.") from None
    except _DECODE_ERRORS:
        raise _unsupported() from None
    if image.format not in ACCEPTED_FORMATS:
        raise _unsupported()
    check_dimensions(*image.size)
    return image


def orientation_of(image: Image.Image) -> int | None:
    """The EXIF orientation, or None; a damaged EXIF block counts as none, not as a bad file."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG)
    except _DECODE_ERRORS:
        return None
    return value if isinstance(value, int) else None


def _square(image: Image.Image, orientation: int | None) -> Image.Image:
    """The centre square at 256 x 256, upright. At full size, only a mode the resampler
    needs is converted to (a copy); the turn is made on the small square, which is the
    same as turning first since the crop is centred and square."""
    has_alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    square = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), method=Image.Resampling.LANCZOS)
    # Not ImageOps.exif_transpose: it writes the EXIF block back (we drop it anyway) and
    # fails on some damaged ones.
    method = _UPRIGHT.get(orientation or 1)
    return square.transpose(method) if method is not None else square


def make_avatar(data: bytes) -> bytes:
    """A 256 x 256 PNG from a PNG, JPEG or WebP upload: upright (EXIF orientation applied),
    centre-cropped to a square, without any metadata of the original."""
    with open_upload(data) as image:
        if image.format == "JPEG":
            # Decode at a reduced scale straight away: large photos need far less memory.
            image.draft("RGB", (AVATAR_SIZE, AVATAR_SIZE))
        try:
            image.load()
            square = _square(image, orientation_of(image))
        except _DECODE_ERRORS:
            raise _unsupported() from None
    # Rebuilt from raw pixels, so no `info` (ICC profile, EXIF, text chunks) can carry over.
    clean = Image.frombytes(square.mode, square.size, square.tobytes())
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()
