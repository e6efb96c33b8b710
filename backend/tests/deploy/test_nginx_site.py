"""The shipped nginx site (deploy/nginx/rapat.conf) in real nginx with a self-signed
certificate, in front of `rapat serve --processes 2` (SQLite, Redis): over HTTPS the web
app, sign-up and a room work, plain HTTP is redirected, and the API's signaling URL
`wss://<host>/node/<i>/ws` reaches the room's home through nginx while the other process's
path sends the client there (4421). About 5 s."""

from __future__ import annotations

import http.client
import json
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from rapat.api.middleware.security_headers import SECURITY_HEADERS
from rapat.config import Settings
from tests.deploy.nginx_site import SITE, Ports, node_ports, running_nginx, self_signed
from tests.integration.app_fixtures import write_fake_frontend
from tests.integration.test_cluster_nodes import MISDIRECTED, ws_url
from tests.integration.test_serve_processes import serving_processes
from tests.integration.test_signaling_nodes import PASSWORD
from tests.private_services import free_port

pytestmark = [pytest.mark.deploy, pytest.mark.redis]

ASSET = "assets/index-3f2a1b.js"


@dataclass(frozen=True)
class Https:
    """Requests to nginx on 127.0.0.1, verified against the test's certificate."""

    port: int
    context: ssl.SSLContext

    def request(
        self, path: str, body: Any = None, token: str | None = None, **headers: str
    ) -> tuple[http.client.HTTPResponse, bytes]:
        """One request on a connection of its own: the response and its body."""
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        data = None if body is None else json.dumps(body)
        try:
            connection.request("GET" if body is None else "POST", path, data, headers)
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def status(self, path: str, **headers: str) -> int:
        return self.request(path, **headers)[0].status

    def json(self, path: str, body: Any = None, token: str | None = None) -> Any:
        response, raw = self.request(path, body, token)
        assert response.status in (200, 201), (path, response.status, raw)
        return json.loads(raw or b"null")


@dataclass(frozen=True)
class Site:
    https: Https
    ports: Ports
    shared_port: int
    scratch: Path


@pytest.fixture
def site(sqlite_url: str, redis_prefix_cleaned: str, tmp_path: Path) -> Iterator[Site]:
    """Two Rapat processes behind the shipped site, as an operator configures them."""
    scratch = tmp_path / "nginx"
    scratch.mkdir()
    context = self_signed(scratch)
    ports = Ports(https=free_port(), http=free_port())
    public = f"https://127.0.0.1:{ports.https}"
    extra = {
        "RAPAT_PUBLIC_URL": public,
        "RAPAT_NODE_URL": f"wss://127.0.0.1:{ports.https}/node/{{index}}/ws",
        "RAPAT_TRUSTED_PROXIES": "127.0.0.1",
        "RAPAT_RATE_LIMITS_ENABLED": "false",
        "RAPAT_FRONTEND_DIR": str(write_fake_frontend(tmp_path / "web")),
    }
    (tmp_path / "web" / ASSET).write_text("console.log('rapat');\n" * 50)  # worth compressing
    with (
        serving_processes(sqlite_url, redis_prefix_cleaned, tmp_path / "data", extra) as (
            shared_port,
            _,
        ),
        running_nginx(scratch, ports, shared_port),
    ):
        yield Site(Https(ports.https, context), ports, shared_port, scratch)


def test_the_site_maps_each_process_to_its_port_and_the_body_limit_to_rapats() -> None:
    site = SITE.read_text()
    assert node_ports(site) == {1: 8081, 2: 8082}
    limit = re.search(r"client_max_body_size (\d+)m;", site)
    assert limit, "no client_max_body_size in MiB"
    assert int(limit[1]) * 1024 * 1024 == Settings.model_fields["max_body_bytes"].default
    for setting in re.findall(r"#\s+(RAPAT_[A-Z_]+)=", site):  # the settings it names exist
        assert setting.removeprefix("RAPAT_").lower() in Settings.model_fields, setting


def test_a_meeting_through_nginx_over_tls(site: Site) -> None:
    https = site.https
    # Plain HTTP is sent to HTTPS, path and query kept.
    plain = http.client.HTTPConnection("127.0.0.1", site.ports.http, timeout=5)
    plain.request("GET", "/rooms/x?y=1")
    moved = plain.getresponse()
    assert (moved.status, moved.getheader("Location")) == (301, "https://127.0.0.1/rooms/x?y=1")
    plain.close()

    page, _ = https.request("/")
    assert page.status == 200
    for name in [*SECURITY_HEADERS, "Strict-Transport-Security"]:  # each once
        assert len(page.headers.get_all(name) or []) == 1, name
    assert https.json("/healthz")["status"] == "ok"
    asset, _ = https.request(f"/{ASSET}", **{"Accept-Encoding": "gzip"})
    assert (asset.status, asset.getheader("Content-Encoding")) == (200, "gzip")
    assert "immutable" in (asset.getheader("Cache-Control") or "")
    assert https.status("/metrics") == 404  # scraped on the processes' own ports
    too_large, page = https.request("/api/v1/auth/login", "x" * (2 * 1024 * 1024))
    assert too_large.status == 413  # by nginx (its own page), at Rapat's limit
    assert b"Request Entity Too Large" in page

    email = f"ana-{uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "first_name": "Ana", "last_name": "Lim"}
    https.json("/api/v1/auth/register", body)
    host = https.json("/api/v1/auth/login", {"email": email, "password": PASSWORD})
    token = host["access_token"]
    room = https.json("/api/v1/rooms", {"name": "Behind nginx"}, token)
    https.json(f"/api/v1/rooms/{room['id']}/join", {}, token)

    home = https.json(f"/api/v1/rooms/{room['id']}/signaling", token=token)["url"]
    base = f"wss://127.0.0.1:{site.ports.https}/node/"
    nodes = {f"{base}{index}/ws" for index in (1, 2)}
    assert home in nodes
    (other,) = nodes - {home}

    with (
        connect(ws_url(other, room["id"], host), ssl=site.https.context) as stray,
        pytest.raises(ConnectionClosed) as closed,
    ):
        stray.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == MISDIRECTED

    with connect(ws_url(home, room["id"], host), ssl=site.https.context) as served:
        for _ in range(20):
            event = json.loads(served.recv(timeout=10))
            if event["type"] == "room_state":
                break
        assert event["type"] == "room_state"
        assert host["user"]["id"] in {p["user_id"] for p in event["data"]["participants"]}

    # nginx answers paths of processes that do not exist itself, and logs no token.
    assert https.status("/node/3/ws") == 404
    log = (site.scratch / "access.log").read_text()
    assert "/node/1/ws" in log
    assert token not in log
