"""Reading the per-user live channel in tests."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from tests.integration.accounts_helpers import SignedIn


def channel_url(who: SignedIn) -> str:
    return f"/ws/user?token={who.access_token}"


def next_event(ws: WebSocketTestSession, kind: str, limit: int = 20) -> dict[str, Any]:
    """Skip other events until one of type ``kind``."""
    for _ in range(limit):
        event: dict[str, Any] = json.loads(ws.receive_text())
        if event["type"] == kind:
            return event
    raise AssertionError(f"no {kind} event")


def closed_with(ws: WebSocketTestSession) -> int:
    for _ in range(20):
        try:
            ws.receive_text()
        except WebSocketDisconnect as closed:
            return closed.code
    raise AssertionError("the channel stayed open")
