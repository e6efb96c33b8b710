"""Every use case of one process, built once on top of its resources, and the signaling
hub subscribed to the room events the services emit."""

from __future__ import annotations

from dataclasses import dataclass

from rapat.cluster.agent import Membership
from rapat.cluster.directory import NodeDirectory
from rapat.cluster.placement import Placement
from rapat.conference.live_state import LiveRooms
from rapat.conference.meeting import MeetingService
from rapat.config import Settings
from rapat.jobs.runtime import JobRuntime
from rapat.mail.dev_mailbox import DevMailbox
from rapat.mail.interfaces import Mailer
from rapat.recording.store import RecordingStore
from rapat.security.passwords import PasswordHasher
from rapat.security.secret_key import resolve_secret_key
from rapat.security.tokens import AccessTokens
from rapat.services.auth import AuthService
from rapat.services.bounded_pool import BoundedPool
from rapat.services.email_links import EmailLinks
from rapat.services.lobby_store import LobbyStore
from rapat.services.outbox import MailOutbox
from rapat.services.recovery import AccountRecovery
from rapat.services.room_event_sink import RoomEventFanout
from rapat.services.rooms import RoomService
from rapat.services.session_endings import SessionEndings
from rapat.services.users import UserServices, create_user_services
from rapat.signaling import SignalingHub
from rapat.signaling.context import create_context, live_ttl
from rapat.wiring.adapters import (
    Resources,
    create_avatar_decoders,
    create_conference,
    create_encryptor,
)
from rapat.wiring.live import LiveServices
from rapat.wiring.recordings import Recordings, recording_available


@dataclass(frozen=True, slots=True)
class Services:
    """The use cases of one process."""

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
    # The threads that decode uploaded pictures (decision 40).
    avatar_decoders: BoundedPool
    # Recordings: the ledger, the service, the compose and retention jobs, the store.
    recordings: Recordings


def create_hub(
    settings: Settings,
    resources: Resources,
    auth: AuthService,
    rooms: RoomService,
    endings: SessionEndings,
    *,
    recordings: Recordings,
) -> SignalingHub:
    config = settings.signaling
    bus = resources.bus
    context = create_context(
        config=config,
        auth=auth,
        rooms=rooms,
        meetings=MeetingService(resources.system_sessions),
        live=LiveRooms(bus.kv, bus.presence, ttl=live_ttl(config)),
        pubsub=bus.pubsub,
        presence=bus.presence,
        media=create_conference(
            settings.sfu,
            settings.recording if recording_available(settings) else None,
            recordings.ledger,
        ),
    )
    return SignalingHub(context, endings, membership=create_membership(settings, resources))


def create_membership(settings: Settings, resources: Resources) -> Membership | None:
    """A node with its own signaling URL takes part in room placement (decision 61);
    without one it serves every room that reaches it, as a single process does."""
    config = settings.cluster
    if config.node_url is None:
        return None
    bus = resources.bus
    directory = NodeDirectory(bus.kv, bus.presence, config.node_ttl)
    return Membership(
        config.node_url, directory, Placement(bus.kv, directory, config.capacity, config.spill_load)
    )


def create_rooms(
    resources: Resources,
    hasher: PasswordHasher,
    public_url: str,
    events: RoomEventFanout,
    live: LiveServices,
) -> RoomService:
    """The room service, its lobby kept in the bus (decision 59) and answering the people
    waiting on their user channel."""
    lobby = LobbyStore(resources.bus.kv, resources.bus.presence)
    return RoomService(
        resources.sessions, hasher, public_url, events, lobby=lobby, user_events=live.user_channel
    )


def build_services(
    settings: Settings,
    resources: Resources,
    mailer: Mailer,
    jobs: JobRuntime,
    recording_store: RecordingStore,
) -> Services:
    config = settings.auth
    secret_key = resolve_secret_key(
        config.secret_key, config.data_dir, persist=settings.env == "development"
    )
    outbox = MailOutbox(jobs.queue, settle=jobs.wait_running)
    links = EmailLinks(
        outbox, config.public_url, config.verify_email_ttl, config.password_reset_ttl
    )
    hasher = PasswordHasher(config.bcrypt_rounds)
    encryptor = create_encryptor(config, secret_key)
    # Ended sign-in sessions close their sockets on every node.
    endings = SessionEndings(resources.bus.pubsub)
    auth_service = AuthService(
        resources.sessions,
        hasher=hasher,
        access_tokens=AccessTokens(secret_key, config.jwt_algorithm, config.access_token_ttl),
        encryptor=encryptor,
        cache=resources.bus.kv,
        email_links=links,
        refresh_ttl_seconds=config.refresh_token_ttl,
        endings=endings,
    )
    live = LiveServices(
        settings,
        sessions=resources.sessions,
        system_sessions=resources.system_sessions,
        bus=resources.bus,
        jobs=jobs,
        outbox=outbox,
        encryptor=encryptor,
        auth=auth_service,
        endings=endings,
    )
    # One path for room events: the room service emits; webhooks and notifications record
    # the event, then the hub tells the live room, each on its own (decision 37).
    events = RoomEventFanout()
    rooms = create_rooms(resources, hasher, config.public_url, events, live)
    recordings = Recordings.build(
        settings.recording,
        store=recording_store,
        sessions=resources.sessions,
        system_sessions=resources.system_sessions,
        queue=jobs.queue,
        events=events,
        public_url=config.public_url,
        secret_key=secret_key,
    )
    live.attach_rooms(rooms, mailer, recordings)
    hub = create_hub(settings, resources, auth_service, rooms, endings, recordings=recordings)
    avatar_decoders = create_avatar_decoders(settings.avatars)
    events.subscribe(live.room_events.emit)
    events.subscribe(hub.room_event)
    return Services(
        auth=auth_service,
        recovery=AccountRecovery(resources.sessions, hasher, links, auth_service),
        outbox=outbox,
        users=create_user_services(
            resources.sessions,
            resources.bus.presence,
            auth_service,
            avatar_decoders,
            live.contact_added,
        ),
        rooms=rooms,
        signaling=hub,
        dev_mailbox=(
            mailer if isinstance(mailer, DevMailbox) and settings.env != "production" else None
        ),
        live=live,
        avatar_decoders=avatar_decoders,
        recordings=recordings,
    )
