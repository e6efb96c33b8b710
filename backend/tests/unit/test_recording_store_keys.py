"""The rules every recording key follows, and the download name a browser saves under."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from rapat.recording.download_name import attachment_disposition
from rapat.recording.store import InvalidKey, check_key, check_range


@pytest.mark.parametrize(
    "key",
    [
        "composed.mp4",
        "3f2a9c1e-0000-4000-8000-000000000001/9b1d/composed.mp4",
        "room_1/rec-2/raw/u1-camera-1-0001.webm",
        "_a/b.c-d_e",
        "a" * 255,
        "/".join(["abc"] * 256)[:1023],  # long but under S3's 1024 bytes
    ],
)
def test_well_formed_keys_pass(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "non-empty"),
        ("../etc/passwd", "'..'"),
        ("room/../../secret", "'..'"),
        ("room/./x", "'..'"),
        ("..", "'..'"),
        ("/etc/passwd", "absolute"),
        ("\\windows\\system32", "absolute"),
        ("room//x", "empty"),
        ("room/x/", "empty"),
        ("room/x\x00.mp4", "NUL"),
        ("room/.hidden", "segment"),  # the local store's temporary files start with a dot
        ("room/a b.mp4", "segment"),
        ("room/a\\b.mp4", "segment"),
        ("room/é.mp4", "segment"),
        ("room/a\nb", "segment"),
        ("a" * 256, "segment"),
        ("/".join(["abcd"] * 206), "1024 bytes"),
    ],
)
def test_malformed_keys_are_refused_naming_the_rule(key: str, reason: str) -> None:
    with pytest.raises(InvalidKey, match=reason) as raised:
        check_key(key)
    assert isinstance(raised.value, ValueError)
    assert raised.value.code == "recording_key_invalid"


def test_a_prefix_is_named_as_such_in_the_error() -> None:
    with pytest.raises(InvalidKey, match="recording prefix"):
        check_key("room/", what="prefix")


def test_a_non_string_key_is_refused() -> None:
    with pytest.raises(InvalidKey, match="non-empty string"):
        check_key(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (6, 5)])
def test_a_read_range_must_be_ordered_and_non_negative(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="invalid byte range"):
        check_range(start, end)


@pytest.mark.parametrize(
    ("filename", "saved", "fallback"),
    [
        ("Weekly sync.mp4", "Weekly sync.mp4", "Weekly sync.mp4"),
        ("Réunion d'équipe.mp4", "Réunion d'équipe.mp4", "R_union d'_quipe.mp4"),
        ('say "hi".mp4', 'say "hi".mp4', "say _hi_.mp4"),
        ("../../etc/passwd", ".._.._etc_passwd", ".._.._etc_passwd"),
        ("line\r\nbreak.mp4", "linebreak.mp4", "linebreak.mp4"),
        ("会議.mp4", "会議.mp4", "__.mp4"),
        ("   ", "download", "download"),
    ],
)
def test_the_download_name_survives_and_has_an_ascii_fallback(
    filename: str, saved: str, fallback: str
) -> None:
    value = attachment_disposition(filename)
    assert value.isascii()
    assert "\r" not in value
    assert "\n" not in value
    assert value.startswith(f'attachment; filename="{fallback}"; ')
    # What a browser saves under: filename* (RFC 6266 §4.3), percent-decoded UTF-8.
    encoded = value.split("filename*=UTF-8''", 1)[1]
    assert ";" not in encoded
    assert " " not in encoded
    assert unquote(encoded, errors="strict") == saved
