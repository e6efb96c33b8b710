"""One room's media: every member's peer, every publication, who receives what.

Rules: everyone receives every publication of everyone else; observers never publish; a
source the publisher switched off (mute, camera off, screen share ended) is paused at the
SFU, which costs no renegotiation; a video a subscriber does not show (off screen, tab
hidden) is held back from that subscriber only. While the room records (`room_recording.py`), every
publication is tapped, those that come later too; a member who leaves closes theirs.

A room whose participants are served by several nodes has a relay member per other node
and direction (decision 70, `relays.py`): an outgoing one receives every publication of
this node's participants and sends it to that node; an incoming one publishes here what
that node's participants publish. Relayed publications are never relayed on: every node
links with every other, so each track crosses to each node once.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import structlog

from rapat.conference.forwarding_counts import ForwardingCounts
from rapat.conference.room_recording import RoomRecording
from rapat.conference.sources import (
    Source,
    classify,
    owner_of,
    paused,
    stream_id,
    track_id,
    video_name,
)
from rapat.conference.speaker import SpeakerDetector
from rapat.domain.errors import Conflict, InvalidInput
from rapat.domain.video_quality import VIDEO_QUALITIES
from rapat.sfu.interfaces import (
    FrameBox,
    MediaPeer,
    NegotiationError,
    PeerFactory,
    PublishedStream,
)

log = structlog.get_logger("rapat.conference")

Send = Callable[[dict[str, Any]], object]


@dataclass
class MemberState:
    muted: bool = False
    video: bool = True
    screen: bool = False
    screen_track_id: str | None = None


class Relay(enum.StrEnum):
    OUT = "out"  # sends this node's participants' publications to another node
    IN = "in"  # publishes here what another node's participants publish


@dataclass
class _Member:
    user_id: str
    peer: MediaPeer
    send: Send
    can_publish: bool
    state: MemberState = field(default_factory=MemberState)
    publications: dict[PublishedStream, Source] = field(default_factory=dict)
    camera_cap: str | None = None  # the room's max_video_resolution, for this member's camera
    name: str = ""  # the display name, for a recording's manifest
    hidden: frozenset[str] = frozenset()  # videos this member does not show (`video_name`)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # tiles shown, by name
    relay: Relay | None = None  # a link with another node, not a participant
    owners: dict[PublishedStream, str] = field(default_factory=dict)  # relayed in: whose
    names: dict[str, str] = field(default_factory=dict)  # relayed in: display names by id


def _ignore(_: dict[str, Any]) -> None:
    """A relay member's `send`: events are for participants."""


@dataclass(frozen=True, slots=True)
class Publication:
    user_id: str
    source: Source
    track: PublishedStream
    relayed: bool = False  # published by another node's participant, relayed here


def _receives(member: _Member, publication: Publication) -> bool:
    """Whether `member` gets a copy: participants get everything but their own; an
    outgoing relay gets this node's participants' publications; an incoming one nothing."""
    if member.relay is Relay.IN or publication.user_id == member.user_id:
        return False
    return member.relay is None or not publication.relayed


_INVALID = {"invalid_sdp", "invalid_candidate", "too_many_candidates", "codec_unsupported"}


@contextmanager
def _negotiation_errors() -> Iterator[None]:
    """The SFU's negotiation errors as domain errors, which every edge knows how to say:
    bad input from the client, or a state the session is not in."""
    try:
        yield
    except NegotiationError as error:
        if error.code in _INVALID:
            raise InvalidInput(error.message, code=error.code) from error
        raise Conflict(error.message, code=error.code) from error


def _apply_cap(up: PublishedStream, quality: str | None) -> None:
    cap = VIDEO_QUALITIES.get(quality) if quality else None
    if cap is None:
        up.limit_video(None, None)
    else:
        up.limit_video(FrameBox(cap.long_side, cap.short_side), cap.max_bitrate)


class MediaRoom:
    def __init__(
        self,
        peer_factory: PeerFactory,
        speaker_window: float = 0.3,
        totals: ForwardingCounts | None = None,
    ) -> None:
        # What peers that are gone counted, so counters never go down when someone leaves.
        self.totals = totals or ForwardingCounts()
        self._peer_factory = peer_factory
        self._members: dict[str, _Member] = {}
        self._speakers = SpeakerDetector()
        self._speaker_window = speaker_window
        self._speaker_level = -127  # dBov, as announced with the current active speaker
        self._speaker_task: asyncio.Task[None] | None = None
        self._sfu_for_good = False  # a third person came: no going back to peer-to-peer
        self._recording: RoomRecording | None = None

    @property
    def empty(self) -> bool:
        """No participant of this node is here (relays alone keep nothing going)."""
        return not self._participants()

    def _participants(self) -> list[_Member]:
        return [member for member in self._members.values() if member.relay is None]

    def has(self, user_id: str) -> bool:
        return user_id in self._members

    def publications(self) -> list[Publication]:
        return [
            Publication(member.owners.get(up, member.user_id), source, up, member.relay is Relay.IN)
            for member in self._members.values()
            for up, source in member.publications.items()
        ]

    def peer(self, user_id: str) -> MediaPeer | None:
        member = self._members.get(user_id)
        return None if member is None else member.peer

    async def join(
        self,
        user_id: str,
        send: Send,
        can_publish: bool,
        state: MemberState,
        *,
        allow_p2p: bool = False,
        name: str = "",
    ) -> object:
        """Start a member's media session; they receive what is published already. A newer
        connection of the same person replaces the older one's session. Returns the token
        `leave` needs, so a late cleanup of an old connection cannot end a newer one."""
        await self.leave(user_id)

        def send_offer(sdp: str) -> None:
            send({"type": "offer", "data": {"sdp": sdp, "from": "sfu"}})

        peer = self._peer_factory(
            send_offer,
            on_track=lambda up: self._published(user_id, up),
            on_track_ended=lambda up: self._unpublished(user_id, up),
        )
        member = _Member(user_id, peer, send, can_publish, state, name=name)
        self._members[user_id] = member
        if self._speaker_task is None:
            self._speaker_task = asyncio.ensure_future(self._watch_speakers())
        self._choose_mode(allow_p2p)
        for publication in self.publications():
            if _receives(member, publication):
                self._subscribe(member, publication)
        return member

    def join_relay(self, name: str, relay: Relay, send_offer: Callable[[str], None]) -> MediaPeer:
        """A link with another node (`name` is unique per node and direction); its peer
        negotiates through `send_offer` and the relay's own channel. Participants here use
        the SFU from now on: their peer-to-peer partner may sit on the other node."""
        peer = self._peer_factory(
            send_offer,
            on_track=lambda up: self._published(name, up),
            on_track_ended=lambda up: self._unpublished(name, up),
        )
        member = _Member(name, peer, _ignore, relay is Relay.IN, relay=relay)
        self._members[name] = member
        self._sfu_for_good = True
        for participant in self._participants():
            participant.send({"type": "media_mode", "data": {"mode": "sfu"}})
        for publication in self.publications():
            if _receives(member, publication):
                self._subscribe(member, publication)
        return peer

    def relay_names(self, name: str, names: dict[str, str]) -> None:
        """Display names of the participants an incoming relay publishes for."""
        member = self._members.get(name)
        if member is not None:
            member.names.update(names)

    def local_names(self) -> dict[str, str]:
        """This node's participants' display names, by id (sent along a relay)."""
        return {member.user_id: member.name for member in self._participants()}

    async def leave(self, user_id: str, token: object | None = None) -> None:
        member = self._members.get(user_id)
        if member is None or (token is not None and member is not token):
            return
        del self._members[user_id]
        self._retire(member)
        recording = self.recording
        if recording is not None:
            for up in member.publications:
                recording.remove(up)
            if self.empty:
                await recording.stop("room_empty")
        for owner in {user_id, *member.owners.values()}:
            self._speakers.forget(owner)
        if not self._members and self._speaker_task is not None:
            self._speaker_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._speaker_task
            self._speaker_task = None
        for up in member.publications:
            for other in tuple(self._members.values()):  # others may leave meanwhile
                await other.peer.unsubscribe(up)
        await member.peer.close()

    async def offer(self, user_id: str, sdp: str) -> str:
        """The answer to a member's offer; a `DomainError` when it cannot be taken."""
        with _negotiation_errors():
            return await self._member(user_id).peer.accept_offer(sdp)

    async def answer(self, user_id: str, sdp: str) -> None:
        with _negotiation_errors():
            await self._member(user_id).peer.accept_answer(sdp)

    async def candidate(self, user_id: str, candidate: dict[str, Any]) -> None:
        with _negotiation_errors():
            await self._member(user_id).peer.add_candidate(candidate)

    def update(self, user_id: str, state: MemberState) -> None:
        """The member's mute/camera/screen state changed: pause or resume their sources."""
        member = self._members.get(user_id)
        if member is None:
            return
        member.state = state
        for up, source in member.publications.items():
            up.set_paused(paused(source, state.muted, state.video, state.screen))

    def set_can_publish(self, user_id: str, can_publish: bool) -> None:
        member = self._members.get(user_id)
        if member is None:
            return
        member.can_publish = can_publish
        state = member.state
        for up, source in member.publications.items():
            switched_off = paused(source, state.muted, state.video, state.screen)
            up.set_paused(not can_publish or switched_off)

    def set_camera_cap(self, user_id: str, quality: str | None) -> None:
        """The room's video quality cap (a `VIDEO_QUALITIES` name, None for none) for the
        member's camera; a screen share is exempt, its text must stay readable."""
        member = self._members.get(user_id)
        if member is None:
            return
        member.camera_cap = quality
        for up, source in member.publications.items():
            if source is Source.CAMERA:
                _apply_cap(up, quality)

    def set_hidden_videos(
        self,
        user_id: str,
        hidden: frozenset[str],
        sizes: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        """The videos (`<id>:camera`, `<id>:screen`) this member does not show now: those
        are held back from them, every other one is forwarded (from a keyframe on), in the
        simulcast layer that fits its tile's size where `sizes` gives one."""
        member = self._members.get(user_id)
        if member is None:
            return
        member.hidden = hidden
        member.sizes = dict(sizes or {})
        for publication in self.publications():
            self._show_or_hide(member, publication)

    @staticmethod
    def _show_or_hide(member: _Member, publication: Publication) -> None:
        copy = member.peer.subscriptions.get(publication.track)
        if copy is not None and publication.source is not Source.MICROPHONE:
            name = video_name(publication.user_id, publication.source)
            copy.set_tile(member.sizes.get(name))
            copy.set_hidden(name in member.hidden)

    async def close(self) -> None:
        recording = self.recording
        if recording is not None:
            await recording.stop("room_ended")
        for user_id in list(self._members):
            await self.leave(user_id)

    @property
    def recording(self) -> RoomRecording | None:
        """The recording under way, if any (one that failed is no longer)."""
        recording = self._recording
        return recording if recording is not None and recording.active else None

    def start_recording(self, recording: RoomRecording) -> None:
        """Tap every publication now and every one to come, until `recording` stops."""
        self._recording = recording
        recording.start()
        for member in self._members.values():
            for up, source in member.publications.items():
                owner = member.owners.get(up, member.user_id)
                recording.add(owner, member.names.get(owner, member.name), source, up)

    def _member(self, user_id: str) -> _Member:
        member = self._members.get(user_id)
        if member is None:
            raise NegotiationError("media_not_started", "Join the room's media first.")
        return member

    def _published(self, user_id: str, up: PublishedStream) -> None:
        member = self._members.get(user_id)
        if member is None:
            return
        if member.relay is Relay.IN:
            self._relayed_in(member, up)
            return
        state = member.state
        has_camera = Source.CAMERA in member.publications.values()
        source = classify(up.kind, up.track_id, state.screen_track_id, has_camera)
        if not member.can_publish:
            # An observer's offer carried media: received, never forwarded.
            up.set_paused(True)
            log.warning("sfu_publish_refused", user_id=user_id, kind=up.kind)
            return
        member.publications[up] = source
        if source is Source.MICROPHONE:
            up.on_level = lambda level: self._speakers.observe(user_id, level)
        if source is Source.CAMERA:
            _apply_cap(up, member.camera_cap)
        switched_off = paused(source, state.muted, state.video, state.screen)
        up.set_paused(switched_off)
        if self.recording is not None:
            self.recording.add(user_id, member.name, source, up)
        self._fan_out(Publication(user_id, source, up))
        log.info(
            "sfu_track_published",
            user_id=user_id,
            kind=up.kind,
            source=source.value,
            track_id=up.track_id,
            paused=switched_off,
        )

    def _relayed_in(self, relay: _Member, up: PublishedStream) -> None:
        """A track another node relays here: its participant's, already paused, capped and
        recorded there as its own publication; here it is recorded if this node records."""
        owner = owner_of(up.track_id)
        if owner is None:  # not a track a node relays: never forwarded
            up.set_paused(True)
            log.warning("sfu_relay_track_unknown", relay=relay.user_id, track_id=up.track_id)
            return
        user_id, source = owner
        relay.publications[up] = source
        relay.owners[up] = user_id
        if source is Source.MICROPHONE:
            up.on_level = lambda level: self._speakers.observe(user_id, level)
        if self.recording is not None:
            self.recording.add(user_id, relay.names.get(user_id, ""), source, up)
        self._fan_out(Publication(user_id, source, up, relayed=True))
        log.info("sfu_track_relayed_in", relay=relay.user_id, user_id=user_id, source=source)

    def _fan_out(self, publication: Publication) -> None:
        for other in self._members.values():
            if _receives(other, publication):
                self._subscribe(other, publication)

    async def _unpublished(self, user_id: str, up: PublishedStream) -> None:
        member = self._members.get(user_id)
        if member is None or member.publications.pop(up, None) is None:
            return
        member.owners.pop(up, None)
        if self.recording is not None:
            self.recording.remove(up)
        for other in tuple(self._members.values()):
            await other.peer.unsubscribe(up)

    def members(self) -> int:
        """Participants served here (relays are not people)."""
        return len(self._participants())

    def subscriptions(self) -> int:
        return sum(len(m.peer.subscriptions) for m in self._members.values())

    def live_counts(self) -> ForwardingCounts:
        """What the peers still here counted."""
        counts = ForwardingCounts()
        for member in self._members.values():
            counts.packets_in += sum(up.packets_in for up in member.peer.published)
            for down in member.peer.subscriptions.values():
                counts.add_down(down)
        return counts

    def _retire(self, member: _Member) -> None:
        """Add what a leaving member's peer counted (and what others got from it)."""
        self.totals.packets_in += sum(up.packets_in for up in member.peer.published)
        gone = list(member.peer.subscriptions.values())
        for up in member.publications:
            gone += [d for o in self._members.values() if (d := o.peer.subscriptions.get(up))]
        for down in gone:
            self.totals.add_down(down)

    def _choose_mode(self, allow_p2p: bool) -> None:
        """Two people may connect directly (`media_mode` "p2p", the peer's id, and who is the
        polite side); from the third on, everyone uses the SFU, for good. The mode is advice:
        media sent to the SFU is forwarded whatever the mode."""
        members = self._participants()
        newest = members[-1]
        sfu = {"type": "media_mode", "data": {"mode": "sfu"}}
        if len(members) >= 3:
            targets = [newest] if self._sfu_for_good else members
            self._sfu_for_good = True
            for member in targets:
                member.send(sfu)
        elif not allow_p2p or self._sfu_for_good:
            newest.send(sfu)
        elif len(members) == 1:  # wait for someone to connect to
            newest.send({"type": "media_mode", "data": {"mode": "p2p", "peer": None}})
        else:
            first, second = members
            for me, peer in ((first, second), (second, first)):
                data = {"mode": "p2p", "peer": peer.user_id, "polite": me is second}
                me.send({"type": "media_mode", "data": data})

    def active_speaker(self) -> dict[str, Any] | None:
        """The last `active_speaker` announced, while that person is still here: what a
        late joiner's `room_state` carries, so their view does not wait for a change."""
        speaker = self._speakers.current
        if speaker is None:
            return None
        return {"user_id": speaker, "level": self._speaker_level}

    async def _watch_speakers(self) -> None:
        """Every window, tell everyone when the active speaker changed."""
        while True:
            await asyncio.sleep(self._speaker_window)
            speaker = self._speakers.tick()
            if speaker is None:
                continue
            self._speaker_level = -round(self._speakers.levels.get(speaker, 127))
            event = {"type": "active_speaker", "data": self.active_speaker()}
            for member in list(self._members.values()):
                member.send(event)

    @staticmethod
    def _subscribe(member: _Member, publication: Publication) -> None:
        log.info(
            "sfu_subscribed",
            subscriber=member.user_id,
            publisher=publication.user_id,
            source=publication.source.value,
            track_id=publication.track.track_id,
        )
        member.peer.subscribe(
            publication.track,
            stream_id(publication.user_id, publication.source),
            track_id(publication.user_id, publication.source),
            subscriber=member.user_id,
        )
        if member.hidden or member.sizes:  # named before it was published
            MediaRoom._show_or_hide(member, publication)
