"""Chat under a burst: stored in batches, acked in request order, nothing lost."""

from __future__ import annotations

from tests.integration.app_fixtures import AppMaker
from tests.integration.test_signaling import meeting, receive, send, until, ws_url


def test_a_burst_of_chat_is_stored_acked_in_order_and_broadcast_in_order(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url, ws_message_burst=200)
    room, host, guest = meeting(client)
    lines = 60
    with client.websocket_connect(ws_url(room, host)) as host_ws:
        until(host_ws, "room_state")
        with client.websocket_connect(ws_url(room, guest)) as guest_ws:
            until(guest_ws, "room_state")
            for n in range(lines):
                send(guest_ws, "chat", {"text": f"line {n}"}, id=f"c{n}")
                send(guest_ws, "ping", id=f"p{n}")
            replies, acked, own_lines = [], {}, 0
            while len(replies) < 2 * lines or own_lines < lines:
                event = receive(guest_ws)
                own_lines += event["type"] == "chat"
                if event["type"] in {"ack", "pong", "error"}:
                    replies.append((event["type"], event["id"]))
                    if event["type"] == "ack":
                        acked[event["id"]] = event["data"]["message_id"]
            # A ping sent after a chat line is answered after the line's ack.
            assert replies == [
                pair for n in range(lines) for pair in (("ack", f"c{n}"), ("pong", f"p{n}"))
            ]
            seen = [until(host_ws, "chat")["data"] for _ in range(lines)]
            assert [line["text"] for line in seen] == [f"line {n}" for n in range(lines)]
            assert [line["message_id"] for line in seen] == [acked[f"c{n}"] for n in range(lines)]
            send(guest_ws, "leave_room", id="bye")
            assert until(guest_ws, "ack")["id"] == "bye"
    stored = client.get(
        f"/api/v1/rooms/{room['id']}/messages", params={"limit": 100}, headers=host.headers
    )
    assert stored.status_code == 200, stored.text
    assert {item["id"] for item in stored.json()["items"]} == set(acked.values())
