"""VP8 picture ids and TL0PICIDX made continuous across simulcast layer switches.

Each layer numbers its pictures on its own; a subscriber's decoder sees one stream, and a
jump in picture ids reads as lost pictures. So each copy keeps an offset for both fields,
chosen at a switch so that the new layer's first picture follows the last one forwarded
(picture id + 1, TL0PICIDX + 1: a keyframe is always on the base temporal layer), and
applies it to every packet. Widths are kept as sent (7 or 15 bits).
"""

from __future__ import annotations

from rapat.codecs.vp8 import picture_ids, with_picture_ids

PICTURE_MOD = 1 << 15
PICTURE_HALF = PICTURE_MOD // 2


class PictureRewriter:
    __slots__ = ("_last_picture", "_last_tl0", "_picture_offset", "_rebase", "_tl0_offset")

    def __init__(self) -> None:
        self._picture_offset = 0
        self._tl0_offset = 0
        self._last_picture: int | None = None  # the newest picture id forwarded
        self._last_tl0: int | None = None
        self._rebase = False

    def switch(self) -> None:
        """The next packet starts another layer's keyframe: continue the numbering."""
        self._rebase = True

    def rewrite(self, payload: bytes) -> bytes:
        ids = picture_ids(payload)
        if ids is None:
            return payload
        picture, bits, tl0 = ids
        if self._rebase:
            self._rebase = False
            if self._last_picture is not None:
                self._picture_offset = (self._last_picture + 1 - picture) % PICTURE_MOD
            if tl0 >= 0 and self._last_tl0 is not None:
                self._tl0_offset = (self._last_tl0 + 1 - tl0) % 256
        out_picture = (picture + self._picture_offset) % (1 << bits)
        last = self._last_picture
        if last is None or 0 < (out_picture - last) % PICTURE_MOD < PICTURE_HALF:
            self._last_picture = out_picture
        out_tl0 = (tl0 + self._tl0_offset) % 256 if tl0 >= 0 else -1
        if out_tl0 >= 0 and (self._last_tl0 is None or 0 < (out_tl0 - self._last_tl0) % 256 < 128):
            self._last_tl0 = out_tl0
        if not self._picture_offset and not self._tl0_offset:
            return payload
        return with_picture_ids(payload, out_picture, out_tl0)
