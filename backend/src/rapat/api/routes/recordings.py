"""/api/v1/recordings: the recordings of one's rooms, one recording, a link to watch or
download it, its file (with `Range`, so a player can seek), deleting it and composing it
again after a failure."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

from rapat.api.byte_range import RangeNotSatisfiable, parse_range
from rapat.api.deps import CurrentPrincipal, ServicesDep
from rapat.api.error_docs import SIGNED_IN, errors
from rapat.api.errors import error_body
from rapat.api.pagination import Limit, Offset
from rapat.api.schemas.recordings import RecordingOut, RecordingPage
from rapat.services.recordings import Download, RecordingView

router = APIRouter(tags=["recordings"])


class FileLinkOut(BaseModel):
    url: str
    expires_at: str


def _page(views: list[RecordingView], total: int, limit: int, offset: int) -> RecordingPage:
    items = [RecordingOut.of(view) for view in views]
    return RecordingPage(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/recordings",
    summary="Recordings of every room you are a member of, newest first",
    responses=errors(*SIGNED_IN, 403, 422),
)
async def my_recordings(
    principal: CurrentPrincipal, services: ServicesDep, limit: Limit = 20, offset: Offset = 0
) -> RecordingPage:
    views, total = await services.recordings.mine(principal, limit=limit, offset=offset)
    return _page(views, total, limit, offset)


@router.get(
    "/rooms/{room_id}/recordings",
    summary="A room's recordings, newest first",
    responses=errors(*SIGNED_IN, 403, 404, 422),
)
async def room_recordings(
    room_id: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    limit: Limit = 20,
    offset: Offset = 0,
) -> RecordingPage:
    views, total = await services.recordings.of_room(principal, room_id, limit=limit, offset=offset)
    return _page(views, total, limit, offset)


@router.get("/recordings/{recording_id}", responses=errors(*SIGNED_IN, 403, 404, 422))
async def get_recording(
    recording_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> RecordingOut:
    return RecordingOut.of(await services.recordings.get(principal, recording_id))


@router.delete(
    "/recordings/{recording_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a recording and its files (the room's host or who started it)",
    responses=errors(*SIGNED_IN, 403, 404, 409, 422, 503),
)
async def delete_recording(
    recording_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> None:
    await services.recordings.delete(principal, recording_id)


@router.post(
    "/recordings/{recording_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Compose a failed recording again",
    responses=errors(*SIGNED_IN, 403, 404, 409, 422),
)
async def retry_recording(
    recording_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> RecordingOut:
    return RecordingOut.of(await services.recordings.retry(principal, recording_id))


@router.get(
    "/recordings/{recording_id}/link",
    summary="A short-lived link to play or download the recording's file",
    responses=errors(*SIGNED_IN, 403, 404, 409, 422, 503),
)
async def recording_link(
    recording_id: uuid.UUID, principal: CurrentPrincipal, services: ServicesDep
) -> FileLinkOut:
    link = await services.recordings.link(principal, recording_id)
    return FileLinkOut(url=link.url, expires_at=link.expires_at.isoformat())


@router.get(
    "/recordings/{recording_id}/file",
    summary="The recording's file, by the link token from /link; honours Range",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"video/mp4": {}, "video/webm": {}}},
        206: {"description": "The requested byte range"},
        **errors(401, 403, 404, 409, 416, 422, 503),
    },
)
async def recording_file(
    recording_id: uuid.UUID,
    services: ServicesDep,
    token: Annotated[str, Query(max_length=2048, description="The token of a /link URL")],
    download: Annotated[bool, Query(description="Save it rather than play it")] = False,
    range_header: Annotated[str | None, Header(alias="Range")] = None,
) -> Response:
    found = await services.recordings.download_by_link(recording_id, token)
    headers = _file_headers(found, download)
    try:
        wanted = parse_range(range_header, found.size)
    except RangeNotSatisfiable as error:
        return JSONResponse(
            error_body(error.code, "The requested range is outside the file."),
            status_code=status.HTTP_416_RANGE_NOT_SATISFIABLE,
            headers={"Content-Range": error.content_range, "Accept-Ranges": "bytes"},
        )
    if wanted is None:
        start, end, code = 0, found.size - 1, status.HTTP_200_OK
    else:
        start, end, code = wanted.start, wanted.end, status.HTTP_206_PARTIAL_CONTENT
        headers["Content-Range"] = wanted.content_range
    headers["Content-Length"] = str(max(0, end - start + 1))
    body = services.recordings.read(found, start, end) if found.size else _nothing()
    return StreamingResponse(body, status_code=code, media_type=found.content_type, headers=headers)


def _file_headers(found: Download, download: bool) -> dict[str, str]:
    disposition = found.attachment
    if not download:
        disposition = "inline" + disposition.removeprefix("attachment")
    return {
        "Accept-Ranges": "bytes",
        "Content-Disposition": disposition,
        # The link token is in the URL: keep it out of shared caches and referrers.
        "Cache-Control": "private, max-age=300",
        "Referrer-Policy": "no-referrer",
    }


async def _nothing() -> AsyncIterator[bytes]:
    """The body of an empty file (the store is never asked for a range of nothing)."""
    nothing: tuple[bytes, ...] = ()
    for chunk in nothing:
        yield chunk
