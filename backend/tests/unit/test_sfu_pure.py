"""Pure parts of the SFU: sequence rewriting, the NACK cache, keyframe folding, sources,
the video cap's box."""

from __future__ import annotations

import itertools

import pytest

from rapat.conference.sources import Source, classify, paused, stream_id, track_id
from rapat.sfu.interfaces import FrameBox
from rapat.sfu.keyframe_gate import KeyframeGate
from rapat.sfu.network import PortRange, host_addresses
from rapat.sfu.packet_cache import PacketCache
from rapat.sfu.sequence import SequenceRewriter, seq_newer


def test_seq_newer_handles_wrap_around() -> None:
    assert seq_newer(1, 0)
    assert seq_newer(0, 65535)
    assert not seq_newer(65535, 0)
    assert not seq_newer(5, 5)


def test_rewriter_offsets_sequence_and_timestamp_consistently() -> None:
    rewriter = SequenceRewriter(seq_offset=100, ts_offset=1000)
    assert rewriter.rewrite(65535, 2**32 - 500) == (99, 500)  # both wrap
    assert rewriter.rewrite(0, 10) == (100, 1010)


def test_rewriter_continues_without_gap_after_a_pause() -> None:
    rewriter = SequenceRewriter(seq_offset=0, ts_offset=0)
    outs = [rewriter.rewrite(seq, seq * 960) for seq in range(10, 15)]
    rewriter.resync()  # paused: the publisher went on from 15 to 499 meanwhile
    after = [rewriter.rewrite(seq, seq * 960) for seq in range(500, 503)]
    sequence = [out[0] for out in outs + after if out is not None]
    assert all((b - a) % 65536 == 1 for a, b in itertools.pairwise(sequence))
    assert after[0] is not None
    assert after[0][1] == 500 * 960  # the timestamp still shows the time that passed


def test_rewriter_keeps_reordered_packets_but_drops_those_before_a_resync() -> None:
    rewriter = SequenceRewriter(seq_offset=0, ts_offset=0)
    rewriter.rewrite(10, 0)
    rewriter.rewrite(12, 0)
    assert rewriter.rewrite(11, 0) == (11, 0)  # late but after the resync point
    rewriter.resync()
    assert rewriter.rewrite(50, 0) == (13, 0)
    assert rewriter.rewrite(49, 0) is None  # its number could collide with one sent


def test_rewriter_forwards_a_long_stream_through_every_wrap() -> None:
    """Half the sequence space after a resync, the floor must not make every new packet
    look older than itself (video stopped after ~8 minutes, audio after ~11)."""
    rewriter = SequenceRewriter(seq_offset=7, ts_offset=0)
    outs = [rewriter.rewrite(seq % 65536, 0) for seq in range(1000, 1000 + 3 * 65536)]
    assert all(out is not None for out in outs)
    assert all((b[0] - a[0]) % 65536 == 1 for a, b in itertools.pairwise(outs) if a and b)
    assert rewriter.rewrite((999 - 20_000) % 65536, 0) is None  # far too late: dropped


def test_packet_cache_returns_only_the_exact_sequence_number() -> None:
    cache = PacketCache(size=4)
    cache.put(1, b"one")
    cache.put(5, b"five")  # same slot: replaces 1
    assert cache.get(1) is None
    assert cache.get(5) == b"five"
    assert cache.get(2) is None
    with pytest.raises(ValueError, match="divisor"):
        PacketCache(size=3)


def test_keyframe_gate_folds_requests_inside_the_interval() -> None:
    gate = KeyframeGate(interval=0.5)
    assert gate.request(10.0) == 0.0
    assert gate.request(10.1) == pytest.approx(0.4)  # one folded request, sent at 10.5
    assert gate.request(10.2) is None  # already due
    gate.fire(10.5)
    assert gate.request(10.6) == pytest.approx(0.4)
    assert gate.request(11.2) == 0.0


def test_sources_and_stream_names() -> None:
    assert classify("audio", "x", None, has_camera=False) is Source.MICROPHONE
    assert classify("video", "cam", "scr", has_camera=False) is Source.CAMERA
    assert classify("video", "scr", "scr", has_camera=False) is Source.SCREEN
    assert classify("video", "other", None, has_camera=True) is Source.SCREEN
    assert stream_id("u1", Source.CAMERA) == stream_id("u1", Source.MICROPHONE) == "u1"
    assert stream_id("u1", Source.SCREEN) == "u1:screen"
    assert track_id("u1", Source.CAMERA) == "camera:u1"
    assert paused(Source.MICROPHONE, muted=True, video=True, screen=False)
    assert paused(Source.CAMERA, muted=False, video=False, screen=False)
    assert not paused(Source.SCREEN, muted=True, video=False, screen=True)


def test_port_range_offers_every_port_once_and_checks_bounds() -> None:
    ports = list(PortRange(40000, 40009).candidates())
    assert sorted(ports) == list(range(40000, 40010))
    for low, high in ((80, 90), (5000, 4000), (60000, 70000)):
        with pytest.raises(ValueError, match="range"):
            PortRange(low, high)


def test_with_no_interface_but_loopback_media_binds_loopback() -> None:
    assert host_addresses([]) == ("127.0.0.1",)
    assert host_addresses(["192.0.2.2", "2001:db8::1"]) == ("192.0.2.2", "2001:db8::1")


def test_a_box_fits_either_orientation_with_a_rounding_slack() -> None:
    box = FrameBox(1280, 720)
    assert box.fits(1280, 720)
    assert box.fits(720, 1280)
    assert box.fits(1282, 720)  # an encoder's even rounding
    assert box.fits(960, 720)
    assert not box.fits(1280, 960)
    assert not box.fits(1920, 1080)
