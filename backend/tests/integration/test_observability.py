"""Logs carry the correlation id; traces reach an OTLP collector when one is configured."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from rapat.observability.logging import configure_logging
from tests.integration.app_fixtures import AppMaker
from tests.waiting import wait_until_sync


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    stream = io.StringIO()
    configure_logging("INFO", "json", stream)
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)


def test_every_log_line_of_a_request_has_its_id(
    make_client: AppMaker, sqlite_url: str, json_logs: io.StringIO
) -> None:
    client = make_client(sqlite_url)
    client.get("/api/v1/missing", headers={"X-Request-ID": "trace-me-42"})
    # The access line is written once the response is sent, which can be just after the
    # client has the response in hand; wait for it rather than race it.
    lines: list[dict[str, object]] = []

    def access_line_written() -> bool:
        lines[:] = [json.loads(line) for line in json_logs.getvalue().splitlines() if line]
        return any(line.get("event") == "request" for line in lines)

    wait_until_sync(access_line_written, 5, "the access log line", interval=0.01)
    request_lines = [line for line in lines if line.get("request_id") == "trace-me-42"]
    assert request_lines, lines
    access = request_lines[-1]
    assert access["event"] == "request"
    assert access["status"] == 404
    assert access["path"] == "/api/v1/missing"
    assert access["level"] == "info"
    assert "timestamp" in access


class _Collector(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        self.received.append((self.path, self.rfile.read(length)))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def otlp_collector() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    _Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Collector.received
    server.shutdown()
    server.server_close()


def test_spans_are_exported_over_otlp(
    make_client: AppMaker, sqlite_url: str, otlp_collector: tuple[str, list[tuple[str, bytes]]]
) -> None:
    endpoint, received = otlp_collector
    client = make_client(sqlite_url, otel_endpoint=endpoint, otel_service_name="rapat-under-test")
    client.get("/r/abc-defg-hij")
    client.__exit__(None, None, None)  # shutdown flushes the batch processor
    paths = [path for path, _ in received]
    assert "/v1/traces" in paths
    payload = b"".join(body for path, body in received if path == "/v1/traces")
    assert b"rapat-under-test" in payload
    assert b"GET" in payload


def test_no_export_without_an_endpoint(
    make_client: AppMaker, sqlite_url: str, otlp_collector: tuple[str, list[tuple[str, bytes]]]
) -> None:
    _, received = otlp_collector
    client = make_client(sqlite_url)
    client.get("/r/abc-defg-hij")
    client.__exit__(None, None, None)
    assert received == []
