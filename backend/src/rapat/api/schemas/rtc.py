"""ICE server list: the shape of the browser's `RTCIceServer`, plus how long it stays good."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rapat.services.turn import IceServer, IceServers


class IceServerOut(BaseModel):
    urls: list[str] = Field(description="stun:, stuns:, turn: or turns: URLs")
    username: str | None = Field(
        default=None, description="TURN only: `<expiry unix time>:<user id>`"
    )
    credential: str | None = Field(
        default=None, description="TURN only: base64(HMAC-SHA1(shared secret, username))"
    )

    @classmethod
    def of(cls, server: IceServer) -> IceServerOut:
        return cls(urls=list(server.urls), username=server.username, credential=server.credential)


class IceServersOut(BaseModel):
    ice_servers: list[IceServerOut] = Field(
        description="Pass as RTCConfiguration.iceServers; empty: host candidates only"
    )
    ttl: int = Field(description="Seconds the TURN credential stays valid from now")
    expires_at: int | None = Field(
        description="Unix time the TURN credential expires; null without TURN"
    )

    @classmethod
    def of(cls, servers: IceServers) -> IceServersOut:
        return cls(
            ice_servers=[IceServerOut.of(server) for server in servers.servers],
            ttl=servers.ttl,
            expires_at=servers.expires_at,
        )
