"""Where a room's signaling WebSocket is (`GET /rooms/{id}/signaling`, decision 61)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SignalingOut(BaseModel):
    url: str | None = Field(
        description="The WebSocket URL of the process that serves the room; open it with "
        "`?roomId=…&userId=…&token=…`. Null: `/ws` on this origin (one process, or nodes "
        "that route rooms themselves)."
    )
    node: str | None = Field(
        description="The id of the node serving the room; null when nodes are not placed"
    )
