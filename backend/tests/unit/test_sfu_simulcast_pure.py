"""The pure parts of simulcast forwarding: which layer a subscriber gets, when its copy
switches, and the VP8 picture numbering made continuous across a switch."""

from __future__ import annotations

from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters, RTCRtpParameters
from aiortc.rtp import HeaderExtensionsMap, RtpPacket

from rapat.codecs.vp8 import picture_ids, with_picture_ids
from rapat.sfu.layer_choice import LayerView, choose_layer
from rapat.sfu.layer_switch import LayerSwitch, Verdict
from rapat.sfu.picture_rewriter import PictureRewriter
from rapat.sfu.rtp_header import RtpReader
from rapat.sfu.sequence import SequenceRewriter
from rapat.sfu.simulcast_sdp import SimulcastSection, add_simulcast, read_simulcast

LAYERS = [
    LayerView(bitrate=150_000, width=320, height=180),
    LayerView(bitrate=500_000, width=640, height=360),
    LayerView(bitrate=1_500_000, width=1280, height=720),
]


def test_without_reports_the_top_layer_is_chosen() -> None:
    assert choose_layer(LAYERS, budget=None, tile=None) == 2


def test_the_budget_caps_the_layer() -> None:
    assert choose_layer(LAYERS, budget=600_000, tile=None) == 1
    assert choose_layer(LAYERS, budget=200_000, tile=None) == 0
    assert choose_layer(LAYERS, budget=5_000_000, tile=None) == 2


def test_a_budget_below_every_layer_still_gets_the_lowest() -> None:
    assert choose_layer(LAYERS, budget=50_000, tile=None) == 0


def test_the_tile_size_picks_the_smallest_layer_that_covers_it() -> None:
    assert choose_layer(LAYERS, budget=None, tile=(320, 180)) == 0
    assert choose_layer(LAYERS, budget=None, tile=(360, 200)) == 0  # a little upscaling
    assert choose_layer(LAYERS, budget=None, tile=(480, 270)) == 1
    assert choose_layer(LAYERS, budget=None, tile=(1920, 1080)) == 2  # none covers: the top


def test_the_smaller_of_tile_and_budget_wins() -> None:
    assert choose_layer(LAYERS, budget=200_000, tile=(1280, 720)) == 0
    assert choose_layer(LAYERS, budget=5_000_000, tile=(640, 360)) == 1


def test_moving_up_needs_room_to_spare_staying_does_not() -> None:
    assert choose_layer(LAYERS, budget=550_000, tile=None, current=0) == 0  # 500k > 85 %
    assert choose_layer(LAYERS, budget=550_000, tile=None, current=1) == 1
    assert choose_layer(LAYERS, budget=600_000, tile=None, current=0) == 1
    assert choose_layer(LAYERS, budget=450_000, tile=None, current=1) == 0  # down at once


def test_inactive_layers_are_skipped_and_none_active_keeps_the_current() -> None:
    layers = [LAYERS[0], LayerView(0, 640, 360, active=False), LAYERS[2]]
    assert choose_layer(layers, budget=None, tile=(640, 360)) == 2
    assert choose_layer(layers, budget=600_000, tile=None) == 0
    assert choose_layer([LayerView(0, active=False)], budget=None, tile=None) is None


def test_a_switch_up_waits_for_a_keyframe_of_the_target_while_the_current_flows() -> None:
    switch = LayerSwitch(target=0)
    switch.restart(0.0)
    assert switch.admit(0, starts_keyframe=False, now=0.1) is Verdict.DROP
    assert switch.admit(0, starts_keyframe=True, now=0.2) is Verdict.SWITCH
    assert switch.choose(2, now=1.0)  # ask for a keyframe of layer 2
    assert switch.admit(0, False, 1.1) is Verdict.FORWARD
    assert switch.admit(2, False, 1.1) is Verdict.DROP
    assert switch.admit(1, True, 1.2) is Verdict.DROP  # not the target
    assert switch.admit(2, True, 1.3) is Verdict.SWITCH
    assert switch.admit(0, False, 1.4) is Verdict.DROP
    assert switch.admit(2, False, 1.4) is Verdict.FORWARD
    assert switch.switches == 2


def test_a_switch_back_to_the_current_layer_waits_for_nothing() -> None:
    switch = LayerSwitch(target=1)
    switch.restart(0.0)
    switch.admit(1, True, 0.0)
    assert switch.choose(2, 1.0)
    assert not switch.choose(1, 1.1)
    assert not switch.pending
    assert switch.admit(2, True, 1.2) is Verdict.DROP


def test_a_long_wait_for_the_target_asks_again_once_per_retry() -> None:
    switch = LayerSwitch(target=0, retry=1.0)
    switch.restart(0.0)
    switch.admit(0, True, 0.0)
    switch.choose(1, 0.0)
    verdicts = [switch.admit(1, False, t / 10) for t in range(1, 25)]
    asked = [i for i, v in enumerate(verdicts, start=1) if v is Verdict.DROP_AND_ASK]
    assert asked == [10, 20]


def descriptor(picture_id: int, tl0: int, keyframe: bool = False) -> bytes:
    """A VP8 payload descriptor with X, I (15-bit), L, T and a frame's first bytes."""
    start = b"\x10\x02\x9d\x01\x2a" if keyframe else b"\x11\x00\x00"
    return bytes((0x90, 0xE0, 0x80 | (picture_id >> 8), picture_id & 0xFF, tl0, 0x20)) + start


def test_picture_ids_are_read_and_written_at_their_width() -> None:
    assert picture_ids(descriptor(1000, 7)) == (1000, 15, 7)
    assert picture_ids(b"\x90\x80\x05\x00") == (5, 7, -1)
    assert picture_ids(b"\x10\x00") is None  # no extension: no picture id
    rewritten = with_picture_ids(descriptor(1000, 7), 32767, 255)
    assert picture_ids(rewritten) == (32767, 15, 255)
    assert rewritten[6:] == descriptor(1000, 7)[6:]
    assert picture_ids(with_picture_ids(b"\x90\x80\x05\xaa", 130, -1)) == (2, 7, -1)


def test_picture_ids_and_tl0_continue_across_a_switch() -> None:
    rewriter = PictureRewriter()
    out = [picture_ids(rewriter.rewrite(descriptor(p, p // 3))) for p in (100, 101, 102)]
    assert [o[0] for o in out if o] == [100, 101, 102]  # no switch yet: unchanged
    rewriter.switch()  # another layer, numbered on its own
    first = picture_ids(rewriter.rewrite(descriptor(20000, 90, keyframe=True)))
    after = picture_ids(rewriter.rewrite(descriptor(20001, 90)))
    assert first == (103, 15, 35)  # 102 // 3 == 34, then + 1
    assert after == (104, 15, 35)


def test_picture_ids_wrap_at_fifteen_bits() -> None:
    rewriter = PictureRewriter()
    rewriter.rewrite(descriptor(32766, 0))
    rewriter.switch()
    assert picture_ids(rewriter.rewrite(descriptor(5, 0, keyframe=True))) == (32767, 15, 1)
    assert picture_ids(rewriter.rewrite(descriptor(6, 0))) == (0, 15, 1)


def test_a_late_packet_of_an_older_picture_does_not_move_the_numbering() -> None:
    rewriter = PictureRewriter()
    rewriter.rewrite(descriptor(50, 0))
    rewriter.rewrite(descriptor(49, 0))  # reordered
    rewriter.switch()
    assert picture_ids(rewriter.rewrite(descriptor(900, 3, keyframe=True))) == (51, 15, 1)


def test_retime_continues_the_timestamps_of_another_layer() -> None:
    rewriter = SequenceRewriter(seq_offset=0, ts_offset=0)
    assert rewriter.rewrite(10, 3000) == (10, 3000)
    rewriter.resync()
    rewriter.retime(900_000, 6000)
    assert rewriter.rewrite(5000, 900_000) == (11, 6000)
    assert rewriter.rewrite(5001, 903_000) == (12, 9000)


OFFER = "\r\n".join(
    [
        "v=0",
        "o=- 1 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111",
        "a=mid:0",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
        "a=mid:1",
        "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
        "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
        "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
        "a=sendonly",
        "a=rid:q send",
        "a=rid:h send",
        "a=rid:f send",
        "a=simulcast:send q;h;f",
        "",
    ]
)


def test_a_simulcast_offer_is_read_by_mid_with_its_layers_low_to_high() -> None:
    sections = read_simulcast(OFFER)
    assert sections == {"1": SimulcastSection(("q", "h", "f"), 10, 11)}
    assert read_simulcast(OFFER.replace("a=simulcast:send q;h;f", "")) == {}
    paused = read_simulcast(OFFER.replace("send q;h;f", "send q,x;~h;f"))
    assert paused["1"].rids == ("q", "f")


def test_the_sfus_descriptions_repeat_the_simulcast_lines_once_in_that_section() -> None:
    answer = OFFER.replace("a=sendonly", "a=recvonly")
    answer = "\r\n".join(
        line for line in answer.split("\r\n") if "rid" not in line and "simulcast" not in line
    )
    munged = add_simulcast(answer, read_simulcast(OFFER))
    video = munged.split("m=video")[1]
    assert "a=simulcast:recv q;h;f" in video
    assert "a=rid:q recv" in video
    assert "a=rid:f recv" in video
    assert "a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id" in video
    assert "simulcast" not in munged.split("m=video")[0]
    assert add_simulcast(munged, read_simulcast(OFFER)) == munged


def test_the_reader_takes_mid_and_rids_once_a_stream_is_simulcast() -> None:
    extensions = [
        RTCRtpHeaderExtensionParameters(id=4, uri="urn:ietf:params:rtp-hdrext:sdes:mid"),
    ]
    packet = RtpPacket(payload_type=96, sequence_number=1, ssrc=5)
    packet.extensions.mid = "1"
    packet.extensions.rtp_stream_id = "h"
    both = [*extensions, *read_simulcast(OFFER)["1"].extensions]
    data = packet.serialize(extension_map_of(both))
    plain = RtpReader()
    plain.configure(extensions)
    assert plain.parse(data).extensions.mid is None  # no simulcast: mids are not read
    reader = RtpReader()
    reader.configure(both)
    parsed = reader.parse(data)
    assert (parsed.extensions.mid, parsed.extensions.rtp_stream_id) == ("1", "h")


def extension_map_of(
    extensions: list[RTCRtpHeaderExtensionParameters],
) -> HeaderExtensionsMap:
    extension_map = HeaderExtensionsMap()
    extension_map.configure(RTCRtpParameters(headerExtensions=extensions))
    return extension_map
