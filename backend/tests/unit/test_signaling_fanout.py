"""The room fan-out: one subscription and task per room, each event decoded once and
handed to every local receiver; nothing left once the last receiver leaves."""

from __future__ import annotations

import asyncio
import uuid

from rapat.bus import memory_bus
from rapat.bus.subscription import QueueSubscription
from rapat.conference.live_state import room_channel
from rapat.signaling.envelope import BusMessage, Received
from rapat.signaling.fanout import RoomFanout
from rapat.signaling.messages import event


class Receiver:
    def __init__(self) -> None:
        self.got: list[Received | str] = []

    def deliver(self, message: Received) -> None:
        self.got.append(message)

    def lost(self) -> None:
        self.got.append("lost")


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_one_subscription_per_room_and_nothing_left_behind() -> None:
    bus = memory_bus()
    pubsub = bus.pubsub
    fanout = RoomFanout(pubsub)
    room, other = uuid.uuid4(), uuid.uuid4()
    tasks_before = len(asyncio.all_tasks())
    ana, budi, citra = Receiver(), Receiver(), Receiver()
    await fanout.join(room, ana)
    await fanout.join(room, budi)
    await fanout.join(other, citra)
    assert sorted(pubsub.subscriber_channels()) == sorted([room_channel(room), room_channel(other)])
    hello = BusMessage(event("chat", {"text": "hi"}), to="someone")
    await pubsub.publish(room_channel(room), hello.encode())
    await pubsub.publish(room_channel(room), b"not a bus message")  # skipped, logged
    await pubsub.publish(room_channel(room), BusMessage(event("pong", {})).encode())
    await settle()
    for receiver in (ana, budi):
        got = [m for m in receiver.got if isinstance(m, Received)]
        assert [m.type for m in got] == ["chat", "pong"]
        assert got[0].to == "someone"
        assert got[0].frame == '{"type":"chat","data":{"text":"hi"}}'
    assert ana.got[0] is budi.got[0]  # decoded once for both
    assert citra.got == []

    await fanout.leave(room, ana)
    assert room_channel(room) in pubsub.subscriber_channels()
    await fanout.leave(room, budi)
    await fanout.leave(room, budi)  # twice is harmless
    await fanout.leave(other, citra)
    assert pubsub.subscriber_channels() == []
    assert fanout.rooms() == 0
    assert len(asyncio.all_tasks()) == tasks_before


class LosingPubSub:
    """Hands out subscriptions the test can lose, as Redis does when its connection drops."""

    def __init__(self) -> None:
        self.subscriptions: list[QueueSubscription] = []

    async def publish(self, channel: str, message: bytes) -> None:
        for subscription in self.subscriptions:
            if subscription.channel == channel:
                subscription.deliver(message)

    async def subscribe(self, channel: str) -> QueueSubscription:
        async def release(subscription: QueueSubscription) -> None:
            self.subscriptions.remove(subscription)

        subscription = QueueSubscription(channel, 16, release)
        self.subscriptions.append(subscription)
        return subscription

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        return None


async def test_a_lost_subscription_tells_receivers_after_what_came_before() -> None:
    pubsub = LosingPubSub()
    fanout = RoomFanout(pubsub)
    room = uuid.uuid4()
    ana, budi = Receiver(), Receiver()
    await fanout.join(room, ana)
    await fanout.join(room, budi)
    [subscription] = pubsub.subscriptions
    for text in ("one", "two"):
        await pubsub.publish(room_channel(room), BusMessage(event("chat", {"text": text})).encode())
    subscription.lose()
    await settle()
    for receiver in (ana, budi):
        assert [m if isinstance(m, str) else m.type for m in receiver.got] == [
            "chat",
            "chat",
            "lost",
        ]
    assert fanout.rooms() == 0  # forgotten: the next connection subscribes afresh
    citra = Receiver()
    await fanout.join(room, citra)
    assert len(pubsub.subscriptions) == 2
    await fanout.leave(room, ana)  # a receiver of the lost room leaving is harmless
    await fanout.leave(room, citra)
    assert fanout.rooms() == 0
