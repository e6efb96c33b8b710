"""The database tables. Importing this package registers all of them on `Base.metadata`."""

from rapat.storage.models.base import NAMING_CONVENTION, Base
from rapat.storage.models.credentials import TOKEN_PURPOSES, UserAvatar, UserToken
from rapat.storage.models.history import MeetingHistory
from rapat.storage.models.notifications import Notification
from rapat.storage.models.recordings import RECORDING_CONTAINERS, RECORDING_STATUSES, Recording
from rapat.storage.models.rooms import (
    MEETING_CODE_LENGTH,
    MESSAGE_TYPES,
    PARTICIPANT_ROLES,
    ROOM_STATUSES,
    Room,
    RoomBan,
    RoomMessage,
    RoomParticipant,
    RoomSetting,
    generate_meeting_code,
    is_meeting_code,
    normalize_meeting_code,
)
from rapat.storage.models.users import (
    USER_STATUSES,
    User,
    UserContact,
    UserSession,
    UserSetting,
    normalize_email,
)
from rapat.storage.models.webhooks import (
    DELIVERY_STATUSES,
    WEBHOOK_EVENTS,
    RoomReminder,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)

__all__ = [
    "DELIVERY_STATUSES",
    "MEETING_CODE_LENGTH",
    "MESSAGE_TYPES",
    "NAMING_CONVENTION",
    "PARTICIPANT_ROLES",
    "RECORDING_CONTAINERS",
    "RECORDING_STATUSES",
    "ROOM_STATUSES",
    "TOKEN_PURPOSES",
    "USER_STATUSES",
    "WEBHOOK_EVENTS",
    "Base",
    "MeetingHistory",
    "Notification",
    "Recording",
    "Room",
    "RoomBan",
    "RoomMessage",
    "RoomParticipant",
    "RoomReminder",
    "RoomSetting",
    "User",
    "UserAvatar",
    "UserContact",
    "UserSession",
    "UserSetting",
    "UserToken",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "generate_meeting_code",
    "is_meeting_code",
    "normalize_email",
    "normalize_meeting_code",
]
