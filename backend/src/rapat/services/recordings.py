"""Recordings as people see them: the list of a room and of all one's rooms, one
recording, its download (streamed from the recording store, or a short-lived link to it),
deleting it and composing it again after a failure.

Members of a room (any role) see and download its recordings; the room's host and the
person who started a recording may delete it or retry its compose.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rapat.domain.errors import Conflict, Forbidden, NotFound, Unauthenticated, Unavailable
from rapat.domain.identity import Principal
from rapat.domain.permissions import Action, Role
from rapat.observability.logging import get_logger
from rapat.recording.compose_request import CONTENT_TYPES
from rapat.recording.download_name import attachment_disposition
from rapat.recording.store import RecordingStore, RecordingStoreError
from rapat.security.file_links import FileLinks
from rapat.security.tokens import InvalidToken
from rapat.services.current_user import act_as, require_user
from rapat.services.recording_ledger import RecordingLedger
from rapat.services.recording_removal import remove_recording
from rapat.services.room_access import find_room, require
from rapat.storage.models import Recording, Room
from rapat.storage.repositories import recordings as recording_rows
from rapat.storage.types import utcnow
from rapat.storage.uow import UnitOfWork

_log = get_logger("rapat.recordings")

_UNSAFE_NAME = re.compile(r"[^\w .,()+-]+")


@dataclass(frozen=True, slots=True)
class RecordingView:
    recording: Recording
    room: Room
    can_manage: bool  # delete, retry


@dataclass(frozen=True, slots=True)
class FileLink:
    url: str
    expires_at: datetime


def _resource(recording_id: uuid.UUID) -> str:
    return f"recording:{recording_id}"


@dataclass(frozen=True, slots=True)
class Download:
    key: str
    size: int
    content_type: str
    filename: str
    redirect_url: str | None  # a presigned link to the object, when the store gives one

    @property
    def attachment(self) -> str:
        """The `Content-Disposition` that saves the file under its name."""
        return attachment_disposition(self.filename)


def download_filename(room: Room, recording: Recording) -> str:
    """`<room name> <yyyy-mm-dd hh.mm>.mp4`, with only characters every system takes."""
    name = _UNSAFE_NAME.sub("", room.name).strip()[:80] or "Recording"
    moment = recording.started_at.strftime("%Y-%m-%d %H.%M")
    return f"{name} {moment}.{recording.container}"


class RecordingService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        ledger: RecordingLedger,
        store: RecordingStore,
        links: FileLinks,
        *,
        presign: bool,
    ) -> None:
        self._sessions = sessions
        self._ledger = ledger
        self._store = store
        self._links = links
        self._presign = presign

    async def of_room(
        self, principal: Principal, room_reference: str, *, limit: int, offset: int
    ) -> tuple[list[RecordingView], int]:
        async with UnitOfWork(self._sessions) as uow:
            await require_user(uow.session, principal)
            room = await find_room(uow.session, room_reference)
            role = await require(uow.session, room, principal, Action.VIEW_MEMBERS)
            rows, total = await recording_rows.of_room(
                uow.session, room.id, limit=limit, offset=offset
            )
        return [self._view(row, room, principal, role) for row, room in rows], total

    async def mine(
        self, principal: Principal, *, limit: int, offset: int
    ) -> tuple[list[RecordingView], int]:
        """Recordings of every room the caller is a member of or hosts, newest first."""
        async with UnitOfWork(self._sessions) as uow:
            await require_user(uow.session, principal)
            rows, total = await recording_rows.of_member(
                uow.session, principal.user_id, limit=limit, offset=offset
            )
            views = []
            for row, room in rows:
                host = room.host_id == principal.user_id
                views.append(self._view(row, room, principal, Role.HOST if host else None))
        return views, total

    async def get(self, principal: Principal, recording_id: uuid.UUID) -> RecordingView:
        async with UnitOfWork(self._sessions) as uow:
            row, room, role = await self._find(uow.session, principal, recording_id)
        return self._view(row, room, principal, role)

    async def delete(self, principal: Principal, recording_id: uuid.UUID) -> None:
        """Files first, then the row (`recording_removal.py`): a failing store leaves the
        recording listed (503)."""
        async with UnitOfWork(self._sessions) as uow:
            row, _room, role = await self._find(uow.session, principal, recording_id)
            self._require_manager(row, principal, role)
            if row.status in ("recording", "composing"):
                raise Conflict(
                    "This recording is still being made; delete it when it is ready.",
                    code="recording_busy",
                    details={"status": row.status},
                )
            key, raw = row.storage_key, row.raw_directory
        try:
            await remove_recording(self._sessions, self._store, recording_id, key, raw)
        except RecordingStoreError as error:
            raise Unavailable(
                "The recording store did not answer; try again later.",
                code="recording_store_unavailable",
            ) from error
        _log.info("recording_deleted", recording_id=str(recording_id), by=str(principal.user_id))

    async def retry(self, principal: Principal, recording_id: uuid.UUID) -> RecordingView:
        """Compose a failed recording again from its raw tracks."""
        async with UnitOfWork(self._sessions) as uow:
            row, room, role = await self._find(uow.session, principal, recording_id, lock=True)
            self._require_manager(row, principal, role)
            if row.status != "failed":
                raise Conflict(
                    "Only a recording whose compose failed can be composed again.",
                    code="recording_not_failed",
                    details={"status": row.status},
                )
            if row.raw_directory is None:
                raise Conflict(
                    "The raw tracks of this recording are gone; it cannot be composed again.",
                    code="recording_raw_missing",
                )
            row.status, row.progress, row.error = "queued", 0, None
            view = self._view(row, room, principal, role)
        await self._ledger.queue_compose(recording_id)
        return view

    async def download(self, principal: Principal, recording_id: uuid.UUID) -> Download:
        async with UnitOfWork(self._sessions) as uow:
            row, room, _ = await self._find(uow.session, principal, recording_id)
        if row.status != "ready" or row.storage_key is None:
            raise Conflict(
                "This recording is not ready yet.",
                code="recording_not_ready",
                details={"status": row.status},
            )
        filename = download_filename(room, row)
        try:
            stored = await self._store.stat(row.storage_key)
            link = (
                await self._store.presigned_url(row.storage_key, filename)
                if self._presign
                else None
            )
        except RecordingStoreError as error:
            raise Unavailable(
                "The recording store did not answer; try again later.",
                code="recording_store_unavailable",
            ) from error
        if stored is None:
            raise NotFound("The recording's file is missing.", code="recording_file_missing")
        content_type = CONTENT_TYPES.get(row.container, "application/octet-stream")
        return Download(stored.key, stored.size, content_type, filename, link)

    async def link(self, principal: Principal, recording_id: uuid.UUID) -> FileLink:
        """Where a browser may fetch the file for the next minutes: a presigned link to the
        object store, or this API's file path with a link token (a `<video>` element sends
        no Authorization header)."""
        download = await self.download(principal, recording_id)
        if download.redirect_url is not None:
            expires = utcnow() + timedelta(seconds=self._links.ttl_seconds)
            return FileLink(download.redirect_url, expires)
        token, expires = self._links.issue(
            _resource(recording_id), principal.user_id, principal.session_id
        )
        return FileLink(f"/api/v1/recordings/{recording_id}/file?token={token}", expires)

    async def download_by_link(self, recording_id: uuid.UUID, token: str) -> Download:
        """The download a link token opens, checked again against the room: someone who
        left the room's members since the link was made gets nothing."""
        try:
            grant = self._links.verify(token, _resource(recording_id))
        except InvalidToken as error:
            raise Unauthenticated(
                "This link has expired or is not valid; open the recording again.",
                code="link_invalid",
            ) from error
        principal = Principal(grant.user_id, grant.session_id)
        act_as(principal)
        return await self.download(principal, recording_id)

    def read(self, download: Download, start: int, end: int) -> AsyncIterator[bytes]:
        """The bytes `start`..`end` (inclusive) of a download, in bounded chunks."""
        return self._store.read_range(download.key, start, end)

    async def _find(
        self,
        session: AsyncSession,
        principal: Principal,
        recording_id: uuid.UUID,
        *,
        lock: bool = False,
    ) -> tuple[Recording, Room, Role]:
        await require_user(session, principal)
        row = await recording_rows.get(session, recording_id, lock=lock)
        if row is None:
            raise NotFound("No such recording.", code="recording_not_found")
        room = await find_room(session, str(row.room_id))
        try:
            role = await require(session, room, principal, Action.VIEW_MEMBERS)
        except Forbidden:
            # Someone outside the room learns nothing, not even that it exists.
            raise NotFound("No such recording.", code="recording_not_found") from None
        return row, room, role

    @staticmethod
    def _manages(row: Recording, principal: Principal, role: Role | None) -> bool:
        return role is Role.HOST or row.started_by == principal.user_id

    def _require_manager(self, row: Recording, principal: Principal, role: Role | None) -> None:
        if self._manages(row, principal, role):
            return
        raise Forbidden(
            "Only the room's host or whoever started the recording may do that.",
            code="not_allowed",
            details={"action": "manage_recording"},
        )

    @staticmethod
    def _view(row: Recording, room: Room, principal: Principal, role: Role | None) -> RecordingView:
        manager = role is Role.HOST or row.started_by == principal.user_id
        return RecordingView(row, room, manager)
