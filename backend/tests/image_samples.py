"""Pictures built in memory for the avatar tests, including hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ORIENTATION = 0x0112
MAKE = 0x010F
GPS_IFD = 0x8825


def encode(image: Image.Image, format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **options)
    return out.getvalue()


def halves(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Top half red, bottom half blue (opaque), so a rotation shows in the pixels."""
    width, height = size
    image = Image.new(mode, size, (255, 0, 0, 255) if mode == "RGBA" else (255, 0, 0))
    image.paste(
        (0, 0, 255, 255) if mode == "RGBA" else (0, 0, 255), (0, height // 2, width, height)
    )
    return image


def jpeg_with_exif(size: tuple[int, int] = (400, 200), orientation: int = 6) -> bytes:
    """A camera-like JPEG: an orientation tag, the camera make and a GPS position."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE] = "SecretCam"
    exif.get_ifd(GPS_IFD)[2] = (1.0, 2.0, 3.0)  # GPSLatitude
    return encode(halves(size), "JPEG", exif=exif, quality=95)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG start claiming `width` x `height` pixels, with almost no pixel data:
    tiny on the wire, huge once decoded (a decompression bomb's header)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + _chunk(b"IEND", b"")
    )


def png_bomb(width: int, height: int) -> bytes:
    """A complete, valid RGB PNG of `width` x `height` black pixels: all zeros compress
    about a thousand to one, so a few hundred KiB decode to hundreds of MiB."""
    row = b"\0" * (1 + 3 * width)  # filter byte, then the pixels
    packer = zlib.compressobj()
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def webp_claiming(width: int, height: int) -> bytes:
    """A small WebP whose extended header (VP8X, written for a picture with transparency)
    claims a `width` x `height` canvas."""
    image = Image.new("RGBA", (16, 16), (255, 0, 0, 128))
    data = encode(image, "WEBP")
    assert data[12:16] == b"VP8X"
    size = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return data[:24] + size + data[30:]
