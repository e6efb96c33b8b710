"""The `Range` header of a recording's download, read against the object's size."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapat.api.byte_range import ByteRange, RangeNotSatisfiable, parse_range

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-0", 0, 0),  # the first byte
        ("bytes=0-499", 0, 499),
        ("bytes=500-999", 500, 999),  # up to the last byte
        ("bytes=999-999", 999, 999),  # the last byte alone
        ("bytes=500-", 500, 999),  # open-ended
        ("bytes=0-", 0, 999),
        ("bytes=-1", 999, 999),  # the last byte, as a suffix
        ("bytes=-500", 500, 999),
        ("bytes=-1000", 0, 999),
        ("bytes=-5000", 0, 999),  # a suffix longer than the object: all of it
        ("bytes=900-5000", 900, 999),  # a last position past the end is cut
        ("bytes=0-99999999999999999", 0, 999),
        ("Bytes=1-2", 1, 2),  # the unit is case-insensitive
        ("bytes= 1-2 ", 1, 2),  # whitespace around the range
        (" bytes =1-2", 1, 2),
    ],
)
def test_a_single_range_is_served(header: str, start: int, end: int) -> None:
    served = parse_range(header, SIZE)
    assert served == ByteRange(start, end, SIZE)
    assert served.length == end - start + 1
    assert served.content_range == f"bytes {start}-{end}/{SIZE}"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "items=0-10",  # another unit: ignored
        "bytes",
        "bytes=",
        "bytes=abc",
        "bytes=1-2-3",
        "bytes=--5",
        "bytes=+1-5",
        "bytes=1 - 5",  # whitespace inside a range is not in the grammar
        "bytes=0x10-20",
        "bytes=５-６",  # digits of another script  # noqa: RUF001
        "bytes=20-10",  # last before first: invalid, so ignored
        "bytes=-",
        "bytes=0-10,20-30",  # several ranges: the whole body
        "bytes=0-10, 5000-6000",
        "bytes=0-10,",
        "bytes=,0-10",
        "bytes=1" + "0" * 19 + "-",  # a position too long to be one
    ],
)
def test_anything_but_one_well_formed_range_gets_the_whole_body(header: str | None) -> None:
    assert parse_range(header, SIZE) is None


@pytest.mark.parametrize(
    ("header", "size"),
    [
        ("bytes=1000-", 1000),  # starts right after the last byte
        ("bytes=1000-1000", 1000),
        ("bytes=5000-6000", 1000),
        ("bytes=-0", 1000),  # a suffix of no bytes
        ("bytes=0-", 0),  # nothing of an empty object can be served
        ("bytes=-5", 0),
        ("bytes=0-0", 0),
    ],
)
def test_a_range_past_the_end_is_unsatisfiable(header: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable) as raised:
        parse_range(header, size)
    assert raised.value.size == size
    assert raised.value.content_range == f"bytes */{size}"
    assert raised.value.code == "range_not_satisfiable"


def test_several_ranges_are_ignored_even_when_none_is_satisfiable() -> None:
    assert parse_range("bytes=5000-6000,7000-8000", SIZE) is None


def test_a_negative_size_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_range("bytes=0-1", -1)


@given(
    size=st.integers(min_value=0, max_value=10**12),
    first=st.integers(min_value=0, max_value=10**13),
    last=st.none() | st.integers(min_value=0, max_value=10**13),
)
def test_a_served_range_always_lies_inside_the_object(
    size: int, first: int, last: int | None
) -> None:
    header = f"bytes={first}-{'' if last is None else last}"
    try:
        served = parse_range(header, size)
    except RangeNotSatisfiable:
        assert first >= size
        return
    if served is None:
        assert last is not None
        assert last < first
        return
    assert 0 <= served.start <= served.end < size
    assert served.start == first
    assert served.end == (size - 1 if last is None else min(last, size - 1))


@given(
    size=st.integers(min_value=0, max_value=10**12),
    suffix=st.integers(min_value=0, max_value=10**13),
)
def test_a_suffix_is_the_object_s_last_bytes(size: int, suffix: int) -> None:
    try:
        served = parse_range(f"bytes=-{suffix}", size)
    except RangeNotSatisfiable:
        assert suffix == 0 or size == 0
        return
    assert served is not None
    assert served.end == size - 1
    assert served.length == min(suffix, size)
