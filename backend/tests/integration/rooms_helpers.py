"""Creating rooms and members through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.integration.accounts_helpers import SignedIn


def create_room(client: TestClient, host: SignedIn, **fields: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/rooms", json={"name": "Weekly sync", **fields}, headers=host.headers
    )
    assert response.status_code == 201, response.text
    room: dict[str, Any] = response.json()
    return room


def join(client: TestClient, who: SignedIn, room: dict[str, Any], **body: Any) -> Any:
    return client.post(f"/api/v1/rooms/{room['id']}/join", json=body, headers=who.headers)
