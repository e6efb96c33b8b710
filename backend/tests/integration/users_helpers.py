"""Reaching into a running test app for the users API tests: its database and presence."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from rapat.bus import Presence
from rapat.wiring import Resources
from tests.integration.app_fixtures import runtime

T = TypeVar("T")


def error(response: Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


def fields(response: Response) -> set[str]:
    return {problem["field"] for problem in error(response)["details"]}


def run(client: TestClient, work: Callable[[], Awaitable[T]]) -> T:
    """Runs `work` on the app's event loop (where its connections live)."""
    portal = client.portal
    assert portal is not None
    return portal.call(work)


def resources(client: TestClient) -> Resources:
    return runtime(client).resources


def presence(client: TestClient) -> Presence:
    return resources(client).bus.presence


def execute(client: TestClient, sql: str, **params: Any) -> None:
    """One SQL statement in its own committed transaction."""
    sessions = resources(client).sessions

    async def work() -> None:
        session: AsyncSession
        async with sessions() as session, session.begin():
            await session.execute(text(sql), params)

    run(client, work)
