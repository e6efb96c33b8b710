"""What the running app holds, typed, so routes never reach into an untyped `app.state`."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from rapat.api.readiness import Check
from rapat.bus import Bus
from rapat.jobs.wiring import LiveServices
from rapat.mail.dev_mailbox import DevMailbox
from rapat.observability.metrics import HttpMetrics
from rapat.services.auth import AuthService
from rapat.services.outbox import MailOutbox
from rapat.services.recovery import AccountRecovery
from rapat.services.rooms import RoomService
from rapat.services.users import UserServices
from rapat.signaling import SignalingHub


@dataclass(frozen=True, slots=True)
class Resources:
    """Connections opened at start-up and closed at shutdown."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    bus: Bus


@dataclass(frozen=True, slots=True)
class Services:
    """The use cases, built once at start-up on top of the resources."""

    auth: AuthService
    recovery: AccountRecovery
    outbox: MailOutbox
    users: UserServices
    rooms: RoomService
    signaling: SignalingHub
    # Only outside production and without SMTP: mail kept in memory for developers.
    dev_mailbox: DevMailbox | None
    # Jobs, notifications, webhooks, reminders and the per-user live channel.
    live: LiveServices


@dataclass(slots=True)
class AppState:
    metrics: HttpMetrics
    readiness_checks: dict[str, Check] = field(default_factory=dict)
    resources: Resources | None = None
    services: Services | None = None


def app_state(app: FastAPI) -> AppState:
    state = app.state.rapat
    assert isinstance(state, AppState)
    return state
