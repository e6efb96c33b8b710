"""The `meeting` fixture of the SFU tests: an app with the SFU on loopback, a room, and a
`connect()` that brings an aiortc participant in over the real WebSocket."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiortc import RTCConfiguration
from fastapi.testclient import TestClient

from rapat.conference.registry import Conference
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker, runtime
from tests.integration.media_clients import InProcessSocket, MediaClient
from tests.integration.rooms_helpers import create_room, join
from tests.integration.test_signaling import ws_url

Connect = Callable[..., MediaClient]


def conference_of(client: TestClient) -> Conference:
    hub = runtime(client).services.signaling
    media: Conference = hub._context.media
    return media


@pytest.fixture
async def meeting(
    make_client: AppMaker, sqlite_url: str, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[TestClient, dict[str, Any], Connect, list[SignedIn]]]:
    # More settings come from a fixture an indirect parameter names (it may start a service
    # first): @pytest.mark.parametrize("meeting", ["turn_settings"], indirect=True)
    extra = getattr(request, "param", None)
    overrides: dict[str, Any] = request.getfixturevalue(extra) if extra else {}
    # (built in a thread: migrating runs its own event loop)
    client = await asyncio.to_thread(
        make_client,
        sqlite_url,
        sfu_bind_addresses="127.0.0.1",
        ws_grace_period=0,
        **overrides,
    )
    host = sign_up(client, "host")
    room = create_room(client, host)
    people = [host]
    clients: list[MediaClient] = []

    def connect(
        who: SignedIn | None = None,
        raw: bool = False,
        media: bool = True,
        configuration: RTCConfiguration | None = None,
    ) -> MediaClient:
        if who is None:
            who = sign_up(client, "guest")
            people.append(who)
        assert join(client, who, room).status_code == 200
        session = client.websocket_connect(ws_url(room, who))
        media_client = MediaClient(
            InProcessSocket(session.__enter__()),
            raw=raw,
            session=session,
            configuration=configuration,
        )
        clients.append(media_client)
        media_client.start()
        if media:
            media_client.owed_tracks = sum(c.publishing for c in clients if c is not media_client)
            media_client.send("join_room", {"media": True})
        return media_client

    yield client, room, connect, people
    for media_client in clients:
        await media_client.close()
    # aiortc objects of a test can reach the garbage collector only now, with a transport
    # aioice closed but did not drop; collect them here so a late ResourceWarning is not
    # blamed on the next test. Real leaks are caught by test_sfu_lifecycle, which counts
    # sockets, tasks and threads.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
