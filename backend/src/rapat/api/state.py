"""What the running app holds for its routes, typed, so routes never reach into an
untyped `app.state`. Filled by the composition root (`rapat.wiring`) at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI

from rapat.api.readiness import Check
from rapat.bus.interfaces import Presence
from rapat.cluster.placement import Placement
from rapat.mail.dev_mailbox import DevMailbox
from rapat.observability.metrics import HttpMetrics
from rapat.ratelimit.rates import API_DEFAULT
from rapat.services.auth import AuthService
from rapat.services.notification_events import MeetingNotifier
from rapat.services.notifications import NotificationService
from rapat.services.outbox import MailOutbox
from rapat.services.recordings import RecordingService
from rapat.services.recovery import AccountRecovery
from rapat.services.rooms import RoomService
from rapat.services.users import UserServices
from rapat.services.webhooks import WebhookService


@dataclass(frozen=True, slots=True)
class ApiServices:
    """The use cases the HTTP routes call."""

    auth: AuthService
    recovery: AccountRecovery
    outbox: MailOutbox
    users: UserServices
    rooms: RoomService
    recordings: RecordingService
    notifications: NotificationService
    webhooks: WebhookService
    invitations: MeetingNotifier
    # Only outside production and without SMTP: mail kept in memory for developers.
    dev_mailbox: DevMailbox | None
    # Development for one person (RAPAT_DEV_MAILBOX_SHOW_ALL): every mail, to anyone.
    # Otherwise each signed-in person reads only the mail sent to them.
    dev_mailbox_show_all: bool
    # Contacts see who is around: each authenticated request marks its caller online.
    presence: Presence
    # Which node serves a room, when nodes are placed (decision 61); None: this one.
    placement: Placement | None = None


@dataclass(slots=True)
class AppState:
    metrics: HttpMetrics
    # Every authenticated request counts against this, per user (RAPAT_RATE_LIMIT_API).
    api_rate: str = API_DEFAULT
    readiness_checks: dict[str, Check] = field(default_factory=dict)
    services: ApiServices | None = None


def app_state(app: FastAPI) -> AppState:
    state = app.state.rapat
    assert isinstance(state, AppState)
    return state
