"""max_users holds under concurrent joins on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room, join


def test_fifty_concurrent_joins_into_a_room_of_ten(
    make_client: AppMaker, postgres_url: str
) -> None:
    client = make_client(postgres_url, database_pool_size=20)
    host = sign_up(client, "host")
    room = create_room(client, host, max_users=10)
    people = [sign_up(client, f"p{i}") for i in range(50)]

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(lambda person: join(client, person, room), people))

    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(200) == 10, statuses
    assert statuses.count(409) == 40, statuses
    full = [r.json()["error"]["code"] for r in responses if r.status_code == 409]
    assert set(full) == {"room_full"}
    present = client.get(f"/api/v1/rooms/{room['id']}/participants", headers=host.headers).json()
    assert len([p for p in present if p["role"] != "host"]) == 10
