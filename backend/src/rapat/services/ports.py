"""What the services need from the outside, as small Protocols; app.py supplies them."""

from __future__ import annotations

from typing import Protocol

from rapat.mail.message import OutgoingMail


class MailSender(Protocol):
    async def send(self, mail: OutgoingMail) -> None: ...


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None: ...

    async def delete(self, key: str) -> bool: ...


class Presence(Protocol):
    async def touch(self, group: str, member: str, ttl: float) -> None: ...

    async def members(self, group: str) -> set[str]: ...
