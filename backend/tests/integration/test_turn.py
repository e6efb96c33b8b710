"""TURN end to end: coturn's turnserver on loopback with the REST-API shared secret; clients
forced to relay-only ICE reach the SFU through it with credentials from
GET /api/v1/rtc/ice-servers, and a credential whose expiry has passed is refused."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aioice import stun
from aioice.turn import create_turn_endpoint
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection
from aiortc.rtcconfiguration import RTCIceTransportPolicy
from aiortc.rtcicetransport import RTCIceTransport
from fastapi.testclient import TestClient

from rapat.services.turn import turn_credential
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.media_clients import MediaClient, eventually
from tests.integration.sfu_fixtures import meeting
from tests.waiting import wait_until_sync

__all__ = ["meeting"]  # the fixture

SECRET = "coturn-shared-secret-for-the-tests-0123"
REALM = "rapat.test"
PATH = "/api/v1/rtc/ice-servers"
RELAY_PORTS = 40  # coturn's relay range for one test


@dataclass(frozen=True)
class Turn:
    port: int
    relay_ports: range
    log: Path

    @property
    def url(self) -> str:
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])


def free_udp_port(count: int = 1) -> int:
    """A port p with p..p+count-1 free on 127.0.0.1 for UDP (and p for TCP, coturn opens both)."""
    for _ in range(200):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            base = int(probe.getsockname()[1])
        if base + count > 65535:
            continue
        with contextlib.ExitStack() as held:
            try:
                for port in range(base, base + count):
                    sock = held.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
                    sock.bind(("127.0.0.1", port))
                tcp = held.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                tcp.bind(("127.0.0.1", base))
            except OSError:
                continue
            return base
    raise RuntimeError(f"no {count} free UDP ports in a row on 127.0.0.1")


def answers_stun(port: int) -> bool:
    request = stun.Message(message_method=stun.Method.BINDING, message_class=stun.Class.REQUEST)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        sock.sendto(bytes(request), ("127.0.0.1", port))
        try:
            data = sock.recv(2048)
        except OSError:
            return False
    return stun.parse_message(data).transaction_id == request.transaction_id


@pytest.fixture
def turn_server(tmp_path: Path) -> Iterator[Turn]:
    binary = shutil.which("turnserver") or "/usr/bin/turnserver"
    if not os.access(binary, os.X_OK):
        pytest.fail("coturn's turnserver is missing: run `make coturn` (apt-get install coturn)")
    port, relay = free_udp_port(), free_udp_port(RELAY_PORTS)
    turn = Turn(port, range(relay, relay + RELAY_PORTS), tmp_path / "turnserver.log")
    command = [
        binary,
        "-n",  # no configuration file: everything is on this command line
        "--listening-ip=127.0.0.1",
        "--relay-ip=127.0.0.1",
        f"--listening-port={port}",
        f"--min-port={relay}",
        f"--max-port={relay + RELAY_PORTS - 1}",
        "--use-auth-secret",
        f"--static-auth-secret={SECRET}",
        f"--realm={REALM}",
        "--no-tls",
        "--no-dtls",
        "--no-cli",
        "--no-tcp-relay",
        "--fingerprint",
        "--allow-loopback-peers",  # the SFU is on 127.0.0.1 too
        "--log-file=stdout",
        "--simple-log",
        "--verbose",
        f"--pidfile={tmp_path / 'turnserver.pid'}",
        f"--userdb={tmp_path / 'turndb'}",
    ]
    with turn.log.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def answering() -> bool:
        if answers_stun(port):
            return True
        if process.poll() is not None:
            pytest.fail(f"turnserver did not start:\n{turn.log_tail()}")
        return False

    try:
        wait_until_sync(answering, 10, lambda: f"turnserver to start:\n{turn.log_tail()}")
        yield turn
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def turn_settings(turn_server: Turn) -> dict[str, Any]:
    # The SFU gets its own port window, apart from coturn's relay range, so the test can
    # tell the two ends of the relayed pair apart.
    sfu = sfu_ports(turn_server)
    return {
        "turn_urls": turn_server.url,
        "turn_secret": SECRET,
        "turn_ttl": 600,
        "sfu_port_min": sfu.start,
        "sfu_port_max": sfu.stop - 1,
    }


def sfu_ports(turn_server: Turn) -> range:
    start = turn_server.relay_ports.stop + 100
    if start + 100 > 65535:
        start = turn_server.relay_ports.start - 200
    return range(start, start + 100)


def relay_only(client: TestClient, who: SignedIn) -> RTCConfiguration:
    """The caller's ICE servers from the API, as a relay-only aiortc configuration."""
    response = client.get(PATH, headers=who.headers)
    assert response.status_code == 200, response.text
    servers = [
        RTCIceServer(urls=s["urls"], username=s["username"], credential=s["credential"])
        for s in response.json()["ice_servers"]
    ]
    return RTCConfiguration(iceServers=servers, iceTransportPolicy=RTCIceTransportPolicy.RELAY)


def ice_transport(media: MediaClient) -> RTCIceTransport:
    transport = media.pc.getTransceivers()[0].sender.transport.transport
    assert isinstance(transport, RTCIceTransport)
    return transport


def used_pair(media: MediaClient) -> tuple[str, tuple[str, int], tuple[str, int]]:
    """The nominated candidate pair: local type, local address, remote address."""
    connection = ice_transport(media)._connection
    pair = connection._nominated[1]
    local, remote = pair.local_candidate, pair.remote_candidate
    return local.type, (local.host, local.port), (remote.host, remote.port)


@pytest.mark.parametrize("meeting", ["turn_settings"], indirect=True)
async def test_relay_only_clients_reach_the_sfu_through_coturn(
    meeting: Any, turn_server: Turn
) -> None:
    client, _, connect, people = meeting
    host, guest = people[0], sign_up(client, "guest")
    publisher = connect(host, configuration=relay_only(client, host))
    publisher.add_tracks(audio=False)
    await publisher.publish()
    viewer = connect(guest, configuration=relay_only(client, guest))
    camera = f"camera:{host.user['id']}"
    await eventually(lambda: camera in viewer.tracks, what="the viewer gets the camera")
    try:
        frame = await asyncio.wait_for(viewer.tracks[camera].recv(), 15)
    except TimeoutError:
        raise AssertionError(
            f"no frame through TURN; coturn said:\n{turn_server.log_tail()}"
        ) from None
    assert (frame.width, frame.height) == (640, 480)
    for media in (publisher, viewer):
        gathered = ice_transport(media).iceGatherer.getLocalCandidates()
        assert gathered
        assert {c.type for c in gathered} == {"relay"}
        kind, local, remote = used_pair(media)
        assert kind == "relay"
        assert local[0] == remote[0] == "127.0.0.1"
        assert local[1] in turn_server.relay_ports  # coturn's relay address
        assert remote[1] in sfu_ports(turn_server)  # the SFU's own port


async def allocate(turn: Turn, username: str, password: str) -> tuple[str, int]:
    transport, _ = await create_turn_endpoint(
        asyncio.DatagramProtocol, ("127.0.0.1", turn.port), username, password
    )
    try:
        address: tuple[str, int] = transport.get_extra_info("sockname")
        return address
    finally:
        transport.close()


async def test_expired_or_forged_credentials_are_refused(
    make_client: AppMaker, sqlite_url: str, turn_server: Turn
) -> None:
    client = await asyncio.to_thread(
        make_client, sqlite_url, turn_urls=turn_server.url, turn_secret=SECRET
    )
    ayu = sign_up(client, "ayu")
    issued = client.get(PATH, headers=ayu.headers).json()["ice_servers"][0]
    # The credential from the API gets an allocation (the control for what follows).
    relayed = await allocate(turn_server, issued["username"], issued["credential"])
    assert relayed[0] == "127.0.0.1"
    assert relayed[1] in turn_server.relay_ports

    expired = turn_credential(SECRET, ayu.user["id"], int(time.time()) - 60)
    with pytest.raises(stun.TransactionFailed) as refused:
        await allocate(turn_server, expired.username, expired.credential)
    assert refused.value.response.attributes["ERROR-CODE"][0] == 401

    forged = turn_credential("not-the-shared-secret", ayu.user["id"], int(time.time()) + 600)
    with pytest.raises(stun.TransactionFailed) as refused:
        await allocate(turn_server, forged.username, forged.credential)
    assert refused.value.response.attributes["ERROR-CODE"][0] == 401


async def relay_offer(turn: Turn, username: str, credential: str) -> str:
    server = RTCIceServer(turn.url, username, credential)
    pc = RTCPeerConnection(
        RTCConfiguration(iceServers=[server], iceTransportPolicy=RTCIceTransportPolicy.RELAY)
    )
    try:
        pc.addTransceiver("audio", direction="sendonly")
        await pc.setLocalDescription(await pc.createOffer())
        sdp: str = pc.localDescription.sdp
        return sdp
    finally:
        await pc.close()


async def test_relay_only_ice_gathers_nothing_with_an_expired_credential(
    turn_server: Turn,
) -> None:
    valid = turn_credential(SECRET, "someone", int(time.time()) + 60)
    assert "typ relay" in await relay_offer(turn_server, valid.username, valid.credential)
    expired = turn_credential(SECRET, "someone", int(time.time()) - 1)
    offer = await relay_offer(turn_server, expired.username, expired.credential)
    assert "a=candidate" not in offer
