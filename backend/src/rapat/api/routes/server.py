"""/api/v1/server/features: what this server can do, so the web app offers only that
(no Record button where nothing would record)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field


class FeaturesOut(BaseModel):
    recording: bool = Field(
        description="Meetings can be recorded here (recording on, the SFU running, ffmpeg "
        "installed to compose the files)"
    )


def create_router(*, recording: bool) -> APIRouter:
    router = APIRouter(prefix="/server", tags=["server"])

    @router.get("/features", summary="What this server offers; no sign-in needed")
    async def features() -> FeaturesOut:
        return FeaturesOut(recording=recording)

    return router
