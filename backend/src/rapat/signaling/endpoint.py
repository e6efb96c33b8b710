"""The `/ws` route: reads the query and hands the socket to the hub."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.websockets import WebSocket

from rapat.signaling import close_codes
from rapat.signaling.hub import ConnectRequest, SignalingHub

HubLookup = Callable[[WebSocket], "SignalingHub | None"]


def create_endpoint(find_hub: HubLookup) -> Callable[[WebSocket], Awaitable[None]]:
    async def signaling(websocket: WebSocket) -> None:
        hub = find_hub(websocket)
        if hub is None:  # still starting or already stopping
            await websocket.close(close_codes.TRY_AGAIN_LATER)
            return
        query = websocket.query_params
        await hub.serve(
            websocket,
            ConnectRequest(
                room=query.get("roomId"), user=query.get("userId"), token=query.get("token")
            ),
        )

    return signaling
