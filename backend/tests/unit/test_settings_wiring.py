"""Settings handed to the parts that use them: the SFU's peers, the log output and the
signaling section. What each part then does with the value is tested beside the part."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import structlog

from rapat.config import Settings
from rapat.observability.logging import configure_logging
from rapat.sfu.network import NetworkOptions, PortRange
from rapat.sfu.peer import SfuPeer
from rapat.wiring.adapters import create_conference


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, env="test", **values)  # type: ignore[call-arg]


async def _no_offer(*_: object) -> None:
    return None


def _ignore(*_: object) -> None:
    return None


async def test_the_sfu_peers_get_the_configured_network_and_keyframe_interval() -> None:
    conference = create_conference(
        _settings(
            sfu_bind_addresses="127.0.0.1",
            sfu_port_min=40000,
            sfu_port_max=40100,
            sfu_advertised_address="203.0.113.7",
            sfu_keyframe_interval=2.0,
        ).sfu
    )
    assert conference is not None
    peer = conference._peer_factory(_no_offer, _ignore, _ignore)
    try:
        assert isinstance(peer, SfuPeer)
        assert peer._network == NetworkOptions(
            ("127.0.0.1",), PortRange(40000, 40100), "203.0.113.7"
        )
        assert peer._keyframe_interval == 2.0
    finally:
        await peer.close()
    assert create_conference(_settings(sfu_enabled=False).sfu) is None


def _logged(level: str, fmt: Any) -> str:
    stream = io.StringIO()
    configure_logging(level, fmt, stream)
    log = structlog.get_logger("rapat.test")
    log.debug("fine_detail")
    log.info("meeting_started", room="r1")
    return stream.getvalue()


def test_log_level_and_format_shape_the_output() -> None:
    as_json = _logged("INFO", "json")
    [line] = as_json.splitlines()  # the debug line is dropped at INFO
    assert json.loads(line)["event"] == "meeting_started"
    console = _logged("DEBUG", "console")
    assert "fine_detail" in console
    assert "meeting_started" in console
    assert not console.lstrip().startswith("{")  # key=value text, not JSON


def test_signaling_section_carries_every_ws_setting() -> None:
    config = _settings(
        ws_max_message_bytes=4096,
        ws_messages_per_second=5.0,
        ws_message_burst=7,
        ws_idle_timeout=9.0,
        ws_grace_period=11.0,
        ws_send_queue_size=13,
        ws_compression=True,
        ws_node_lease=17.0,
        ws_sweep_interval=19.0,
    ).signaling
    assert (
        config.max_message_bytes,
        config.messages_per_second,
        config.message_burst,
        config.idle_timeout,
        config.grace_period,
        config.send_queue_size,
        config.compression,
        config.node_lease,
        config.sweep_interval,
    ) == (4096, 5.0, 7, 9.0, 11.0, 13, True, 17.0, 19.0)


def test_jobs_section_carries_every_job_setting() -> None:
    config = _settings(
        broker_url="amqp://guest:guest@127.0.0.1:5672/",
        jobs_queue="meet",
        job_max_attempts=7,
        job_retry_base_delay=0.5,
        job_retry_max_delay=9.0,
        worker_concurrency=3,
        worker_metrics_port=9109,
    ).jobs
    assert (
        config.broker_url,
        config.queue,
        config.max_attempts,
        config.retry_base_delay,
        config.retry_max_delay,
        config.worker_concurrency,
        config.worker_metrics_port,
    ) == ("amqp://guest:guest@127.0.0.1:5672/", "meet", 7, 0.5, 9.0, 3, 9109)


def test_recording_is_on_by_default_and_records_under_the_data_dir(tmp_path: Path) -> None:
    off = _settings(recording_enabled=False)
    assert create_conference(off.sfu, None).recordings is None  # type: ignore[union-attr]
    on = _settings(data_dir=tmp_path)
    assert on.recording.enabled
    conference = create_conference(on.sfu, on.recording)
    assert conference is not None
    assert conference.recordings == tmp_path / "recordings"
