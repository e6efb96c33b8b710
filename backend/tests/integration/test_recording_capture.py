"""The recorder on real RTP (aiortc's encoders and packetizers), reordered and with loss,
read back and fully decoded with PyAV."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from aiortc.rtp import RtcpSenderInfo, RtcpSrPacket

from rapat.recording.media_codecs import MediaCodec
from rapat.recording.rtp_clock import NTP_UNIX_OFFSET
from rapat.recording.sidecar import read_sidecar
from rapat.recording.track_recorder import RecorderOptions, TrackRecorder
from tests.recording_files import START, decode, feed
from tests.recording_media import jittered, opus_packets, video_packets, without


def _increasing(values: list[int]) -> bool:
    return all(a < b for a, b in itertools.pairwise(values))


@pytest.mark.parametrize(("mime_type", "extension"), [("video/VP8", "webm"), ("video/H264", "mkv")])
def test_reordered_video_is_recorded_whole(tmp_path: Path, mime_type: str, extension: str) -> None:
    sent = video_packets(mime_type, 60)
    recorder = TrackRecorder(tmp_path, "cam", MediaCodec.from_mime_type(mime_type))
    feed(recorder, jittered(sent, seed=1))
    recorder.close()

    info = read_sidecar(tmp_path / "cam-0001.json")
    decoded = decode(tmp_path / f"cam-0001.{extension}")
    assert decoded.codec == MediaCodec.from_mime_type(mime_type).spec.muxer_name
    assert (decoded.width, decoded.height) == (320, 240)
    assert decoded.frames == len(decoded.pts) == info.frames_written == 60
    assert decoded.keyframes[0]
    assert _increasing(decoded.pts)
    assert decoded.pts[-1] == info.duration_ms == 59 * 1000 // 30
    assert info.complete
    assert (info.packets_lost, info.frames_dropped_incomplete) == (0, 0)


def test_lost_video_packets_skip_to_the_next_keyframe(tmp_path: Path) -> None:
    sent = video_packets("video/VP8", 90, keyframe_every=30)
    # One packet of frame 40 never arrives, even after the reorder buffer's wait.
    frame_40 = [item.packet.sequence_number for item in sent if abs(item.time - 40 / 30) < 1e-9]
    recorder = TrackRecorder(tmp_path, "cam", MediaCodec.VP8)
    feed(recorder, jittered(list(without(sent, {frame_40[1]})), seed=2))
    recorder.close()

    info = read_sidecar(tmp_path / "cam-0001.json")
    decoded = decode(tmp_path / "cam-0001.webm")
    assert decoded.frames == info.frames_written == 90 - 20  # frames 40 to 59 are gone
    assert info.packets_lost == 1
    assert info.frames_dropped_incomplete == 1
    assert info.frames_dropped_waiting_keyframe == 19
    assert decoded.pts[39:41] == [39 * 1000 // 30, 60 * 1000 // 30]  # a gap, then a keyframe
    assert decoded.keyframes[40]
    assert _increasing(decoded.pts)


def test_lost_opus_packets_leave_gaps(tmp_path: Path) -> None:
    sent = opus_packets(100)
    lost = {sent[10].packet.sequence_number, sent[50].packet.sequence_number}
    recorder = TrackRecorder(tmp_path, "mic", MediaCodec.OPUS)
    feed(recorder, jittered(list(without(sent, lost)), seed=3, spread=0.1))
    recorder.close()

    info = read_sidecar(tmp_path / "mic-0001.json")
    decoded = decode(tmp_path / "mic-0001.webm")
    assert (decoded.codec, decoded.sample_rate) == ("opus", 48_000)
    assert decoded.frames == info.frames_written == 98
    assert info.packets_lost == 2
    assert decoded.pts[9:11] == [180, 220]  # 20 ms frames, the one at 200 ms missing
    assert decoded.pts[-1] == info.duration_ms == 99 * 20


def test_a_pause_starts_a_new_segment_that_begins_with_a_keyframe(tmp_path: Path) -> None:
    sent = video_packets("video/VP8", 60, keyframe_every=100)
    first = [item for item in sent if item.time < 1.0]
    # The camera was off for 5 s; it comes back without a keyframe, as a sender may.
    second = [item for item in sent if item.time >= 1.0]
    recorder = TrackRecorder(tmp_path, "cam", MediaCodec.VP8, RecorderOptions(pause_gap=2.0))
    feed(recorder, first)
    recorder.tick(START + 3.1)  # no packet for 2 s: the file is finished without waiting
    assert read_sidecar(tmp_path / "cam-0001.json").complete
    feed(recorder, second, offset=5.0)
    recorder.close()

    assert [info.ended_by for info in recorder.segments] == ["pause"]
    assert recorder.waiting_for_keyframe  # the owner should ask the publisher for one
    assert not (tmp_path / "cam-0002.webm").exists()
    assert read_sidecar(tmp_path / "cam-0001.json").frames_written == 30


def test_segments_carry_the_wall_time_of_sender_reports(tmp_path: Path) -> None:
    sent = video_packets("video/VP8", 60, keyframe_every=30, first_timestamp=1000)
    recorder = TrackRecorder(tmp_path, "cam", MediaCodec.VP8)
    feed(recorder, [item for item in sent if item.time < 10 / 30])  # frames 0 to 9
    # The publisher's clock says RTP timestamp 1000 (frame 0) was at 1_700_000_000.25.
    ntp = int((1_700_000_000.25 + NTP_UNIX_OFFSET) * 2**32)
    info = RtcpSenderInfo(ntp, 1000 + 90_000, packet_count=0, octet_count=0)  # 1 s in
    recorder.on_sender_report(RtcpSrPacket(ssrc=999, sender_info=info))  # another stream's
    assert read_sidecar(tmp_path / "cam-0001.json").clock_source == "arrival"
    recorder.on_sender_report(RtcpSrPacket(ssrc=1234, sender_info=info))
    recorder.new_segment()
    feed(recorder, [item for item in sent if item.time >= 10 / 30])
    recorder.close()

    first, second = (read_sidecar(tmp_path / f"cam-000{n}.json") for n in (1, 2))
    assert first.start_wall_time == pytest.approx(1_700_000_000.25 - 1.0, abs=1e-6)
    assert first.clock_source == second.clock_source == "sender_report"
    # The second segment starts at the keyframe of frame 30, one second after frame 0.
    assert second.start_wall_time == pytest.approx(first.start_wall_time + 1.0, abs=1e-3)
    assert [info.ended_by for info in recorder.segments] == ["requested", "closed"]
    assert decode(tmp_path / "cam-0002.webm").keyframes[0]


def _report(wall_time: float, rtp_timestamp: int) -> RtcpSrPacket:
    ntp = int((wall_time + NTP_UNIX_OFFSET) * 2**32)
    info = RtcpSenderInfo(ntp, rtp_timestamp, packet_count=0, octet_count=0)
    return RtcpSrPacket(ssrc=1234, sender_info=info)


def test_later_reports_wait_for_the_next_sidecar_refresh(tmp_path: Path) -> None:
    sent = video_packets("video/VP8", 60, keyframe_every=30, first_timestamp=1000)
    recorder = TrackRecorder(tmp_path, "cam", MediaCodec.VP8)
    sidecar = tmp_path / "cam-0001.json"
    feed(recorder, [item for item in sent if item.time < 10 / 30])
    recorder.on_sender_report(_report(1_700_000_001.0, 1000 + 90_000))  # frame 0 at x.0
    assert read_sidecar(sidecar).start_wall_time == pytest.approx(1_700_000_000.0, abs=1e-6)
    # A later report moves the start by 20 ms (the sender's jitter): not written at once...
    recorder.on_sender_report(_report(1_700_000_002.02, 1000 + 180_000))
    assert read_sidecar(sidecar).start_wall_time == pytest.approx(1_700_000_000.0, abs=1e-6)
    feed(recorder, [item for item in sent if item.time >= 10 / 30])
    recorder.close()
    # ...but the segment's last sidecar has it.
    closed = read_sidecar(sidecar)
    assert closed.complete
    assert closed.start_wall_time == pytest.approx(1_700_000_000.02, abs=1e-6)


def test_before_any_report_the_arrival_time_stands_in(tmp_path: Path) -> None:
    recorder = TrackRecorder(tmp_path, "mic", MediaCodec.OPUS)
    feed(recorder, opus_packets(5))
    recorder.close()
    info = read_sidecar(tmp_path / "mic-0001.json")
    assert info.clock_source == "arrival"
    assert info.start_wall_time == pytest.approx(START, abs=1e-6)


def test_a_new_ssrc_is_a_restart_with_its_own_segment(tmp_path: Path) -> None:
    before = video_packets("video/VP8", 20, ssrc=1)
    # The publisher replaced its track: new SSRC, sequence and timestamps from elsewhere.
    after = video_packets("video/VP8", 20, ssrc=2, first_sequence=7, first_timestamp=5)
    recorder = TrackRecorder(tmp_path, "cam", MediaCodec.VP8)
    feed(recorder, before)
    feed(recorder, after, offset=1.0)
    recorder.close()

    assert [info.ended_by for info in recorder.segments] == ["restart", "closed"]
    assert [decode(tmp_path / f"cam-000{n}.webm").frames for n in (1, 2)] == [20, 20]
    assert [info.packets_lost for info in recorder.segments] == [0, 0]


def test_only_vp8_h264_and_opus_are_recorded() -> None:
    assert MediaCodec.from_mime_type("audio/OPUS") is MediaCodec.OPUS
    with pytest.raises(ValueError, match="VP9"):
        MediaCodec.from_mime_type("video/VP9")


def test_a_short_pause_is_a_gap_inside_the_file(tmp_path: Path) -> None:
    sent = video_packets("video/VP8", 60, keyframe_every=30)
    # The sender stopped for frames 10 to 29 (no packets, no sequence numbers used) and came
    # back with the keyframe of frame 30: 0.67 s, shorter than the pause that ends a file.
    kept = [item for item in sent if not 10 / 30 - 1e-9 < item.time < 30 / 30 - 1e-9]
    for number, item in enumerate(kept):
        item.packet.sequence_number = number
    recorder = TrackRecorder(tmp_path, "cam", MediaCodec.VP8)
    feed(recorder, kept)
    recorder.close()

    decoded = decode(tmp_path / "cam-0001.webm")
    info = read_sidecar(tmp_path / "cam-0001.json")
    assert decoded.frames == info.frames_written == 40
    assert decoded.pts[9:11] == [300, 1000]
    assert (info.packets_lost, info.frames_dropped_waiting_keyframe) == (0, 0)
    assert [segment.ended_by for segment in recorder.segments] == ["closed"]
