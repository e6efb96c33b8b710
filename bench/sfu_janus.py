"""Janus VideoRoom for the SFU benchmark: its configuration (loopback only) and aiortc
participants driven over Janus's HTTP API.

Janus 1.1.2 skips loopback interfaces when it gathers ICE candidates, so the benchmark runs
in a private network namespace where a veth end carries a second 127.0.0.1/32 and
`ice_enforce_list` names that interface (see `sfu.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
from aiortc import RTCSessionDescription

from harness import stop
from rapat.sfu.hooks import ForwardingSender
from sfu_clients import (
    Tally,
    add_publisher_tracks,
    adopt_subscriber_receivers,
    bind_loopback,
    new_peer_connection,
    publish_media,
)
from sfu_media import Clip

LIBRARIES = Path("/usr/lib/x86_64-linux-gnu/janus")
KEEP_PLUGINS = {"libjanus_videoroom.so"}
KEEP_TRANSPORTS = {"libjanus_http.so"}


def ensure_installed() -> str:
    janus = shutil.which("janus")
    if janus is None:
        print("janus is missing: installing the Debian package")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "janus"],
            check=True,
            env={
                "DEBIAN_FRONTEND": "noninteractive",
                "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            },
        )
        janus = shutil.which("janus")
    if janus is None:
        raise RuntimeError("janus is not on PATH after installing it")
    return janus


def _others(folder: str, keep: set[str]) -> str:
    names = sorted(p.name for p in (LIBRARIES / folder).glob("*.so"))
    return ",".join(n for n in names if n not in keep)


def write_config(folder: Path, interface: str, http_port: int, rtp_ports: str) -> Path:
    """janus.jcfg and the two configurations it loads: VideoRoom and HTTP on loopback."""
    (folder / "janus.jcfg").write_text(
        f"""general: {{
    configs_folder = "{folder}"
    plugins_folder = "{LIBRARIES / "plugins"}"
    transports_folder = "{LIBRARIES / "transports"}"
    events_folder = "{LIBRARIES / "events"}"
    loggers_folder = "{LIBRARIES / "loggers"}"
    debug_level = 3
    session_timeout = 120
}}
media: {{
    rtp_port_range = "{rtp_ports}"
}}
nat: {{
    ice_enforce_list = "{interface}"
    ignore_mdns = true
    nice_debug = false
    full_trickle = false
}}
plugins: {{
    disable = "{_others("plugins", KEEP_PLUGINS)}"
}}
transports: {{
    disable = "{_others("transports", KEEP_TRANSPORTS)}"
}}
loggers: {{
    disable = "{_others("loggers", set())}"
}}
events: {{
    broadcast = false
}}
"""
    )
    (folder / "janus.transport.http.jcfg").write_text(
        f"""general: {{
    json = "compact"
    base_path = "/janus"
    http = true
    port = {http_port}
    ip = "127.0.0.1"
    https = false
}}
admin: {{
    admin_http = false
}}
"""
    )
    (folder / "janus.plugin.videoroom.jcfg").write_text("general: {\n}\n")
    return folder / "janus.jcfg"


@contextlib.contextmanager
def janus_server(
    janus: str,
    folder: Path,
    interface: str,
    http_port: int,
    rtp_ports: str,
    *,
    cpus: set[int] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Janus, on `cpus` only when given (from its start: its threads inherit them)."""
    config = write_config(folder, interface, http_port, rtp_ports)
    pinned = ["taskset", "-c", ",".join(map(str, sorted(cpus)))] if cpus else []
    with (folder / "janus.log").open("wb") as sink:
        process = subprocess.Popen(
            [*pinned, janus, "-C", str(config), "-F", str(folder), "-o"],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        stop(process, timeout=10)


class JanusSession:
    """One Janus session; a long poll hands each handle's events to its queue."""

    def __init__(self, port: int) -> None:
        self.http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}/janus", timeout=60)
        self.session = 0
        self.events: dict[int, asyncio.Queue[dict[str, Any]]] = {}
        self._poll: asyncio.Task[None] | None = None

    async def request(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        body = {**body, "transaction": secrets.token_hex(6)}
        response = await self.http.post(path, json=body)
        reply: dict[str, Any] = response.json()
        if reply.get("janus") == "error":
            raise RuntimeError(f"Janus: {reply['error']}")
        return reply

    async def open(self) -> None:
        self.session = (await self.request("", {"janus": "create"}))["data"]["id"]
        self._poll = asyncio.ensure_future(self._long_poll())

    async def _long_poll(self) -> None:
        while True:
            try:
                response = await self.http.get(f"/{self.session}", params={"maxev": 20})
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
                continue
            events = response.json()
            for event in events if isinstance(events, list) else [events]:
                sender = event.get("sender")
                if sender is not None and event.get("janus") == "event":
                    self.events.setdefault(sender, asyncio.Queue()).put_nowait(event)

    async def attach(self) -> int:
        reply = await self.request(
            f"/{self.session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"}
        )
        handle: int = reply["data"]["id"]
        self.events.setdefault(handle, asyncio.Queue())
        return handle

    async def message(
        self, handle: int, body: dict[str, Any], jsep: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Send a plugin request; returns its (synchronous or asynchronous) result."""
        payload: dict[str, Any] = {"janus": "message", "body": body}
        if jsep is not None:
            payload["jsep"] = jsep
        reply = await self.request(f"/{self.session}/{handle}", payload)
        if reply.get("janus") == "success":
            return reply
        event = await asyncio.wait_for(self.events[handle].get(), 30)
        data = event.get("plugindata", {}).get("data", {})
        if "error" in data:
            raise RuntimeError(f"VideoRoom: {data['error']}")
        return event

    async def close(self) -> None:
        if self._poll is not None:
            self._poll.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poll
        with contextlib.suppress(Exception):
            await self.request(f"/{self.session}", {"janus": "destroy"})
        await self.http.aclose()


class JanusParticipant:
    def __init__(self, session: JanusSession, tally: Tally, publisher: int | None) -> None:
        self.session = session
        self.tally = tally
        self.publisher = publisher
        self.pc = new_peer_connection()
        self.handle = 0
        self.feed = 0
        self.tracks = 0
        self._task: asyncio.Task[None] | None = None
        self._senders: tuple[ForwardingSender, ForwardingSender] | None = None
        if publisher is not None:
            self._senders = add_publisher_tracks(self.pc, f"p{publisher}")

    async def publish(self, room: int, clip: Clip) -> None:
        assert self._senders is not None
        assert self.publisher is not None
        self.handle = await self.session.attach()
        bind_loopback(self.pc)
        await self.pc.setLocalDescription(await self.pc.createOffer())
        offer = {"type": "offer", "sdp": self.pc.localDescription.sdp, "trickle": False}
        request = {"request": "joinandconfigure", "room": room, "ptype": "publisher"}
        event = await self.session.message(self.handle, {**request, "audio": True}, offer)
        self.feed = event["plugindata"]["data"]["id"]
        answer = event["jsep"]
        await self.pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))
        audio, video = self._senders
        for _ in range(200):  # Janus lists a feed to subscribers once its media is up
            if audio.ready and video.ready:
                break
            await asyncio.sleep(0.05)
        self._task = asyncio.ensure_future(
            publish_media(audio, video, clip, self.publisher, self.tally)
        )

    async def subscribe(self, room: int, feeds: list[int]) -> None:
        self.handle = await self.session.attach()
        body = {
            "request": "join",
            "room": room,
            "ptype": "subscriber",
            "streams": [{"feed": feed} for feed in feeds],
        }
        for attempt in range(50):
            try:
                event = await self.session.message(self.handle, body)
                break
            except RuntimeError as error:
                if "No such feed" not in str(error) or attempt == 49:
                    raise
                await asyncio.sleep(0.1)
        await self.pc.setRemoteDescription(RTCSessionDescription(event["jsep"]["sdp"], "offer"))
        self.tracks = adopt_subscriber_receivers(self.pc.getTransceivers(), self.tally)
        bind_loopback(self.pc)
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        answer = {
            "type": "answer",
            "sdp": self.pc.localDescription.sdp,
            "trickle": False,
        }
        await self.session.message(self.handle, {"request": "start", "room": room}, answer)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        await self.pc.close()


async def start_janus_point(
    port: int, publishers: int, subscribers: int, tally: Tally, clip: Clip
) -> tuple[JanusSession, list[JanusParticipant]]:
    session = JanusSession(port)
    await session.open()
    admin = await session.attach()
    room = secrets.randbelow(1 << 30) + 1
    await session.message(
        admin,
        {
            "request": "create",
            "room": room,
            "publishers": publishers + 1,
            "audiocodec": "opus",
            "videocodec": "vp8",
            "bitrate": 0,
            "notify_joining": False,
        },
    )
    people = [JanusParticipant(session, tally, index) for index in range(publishers)]
    for person in people:
        await person.publish(room, clip)
    feeds = [person.feed for person in people]
    watchers = [JanusParticipant(session, tally, None) for _ in range(subscribers)]
    await asyncio.gather(*(w.subscribe(room, feeds) for w in watchers))
    return session, people + watchers
