"""GET /api/v1/rtc/ice-servers through the real app and database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker

SECRET = "north-wind-secret-for-the-tests"
PATH = "/api/v1/rtc/ice-servers"


def test_signed_in_caller_gets_stun_and_a_fresh_turn_credential(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(
        database_url,
        stun_urls="stun:turn.example.com:3478",
        turn_urls="turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349",
        turn_secret=SECRET,
        turn_ttl=600,
    )
    ayu = sign_up(client, "ayu")
    before = int(time.time())
    response = client.get(PATH, headers=ayu.headers)
    after = int(time.time())
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["ttl"] == 600
    assert before + 600 <= body["expires_at"] <= after + 600
    stun, turn = body["ice_servers"]
    assert stun == {"urls": ["stun:turn.example.com:3478"], "username": None, "credential": None}
    assert turn["urls"] == [
        "turn:turn.example.com:3478?transport=udp",
        "turns:turn.example.com:5349",
    ]
    assert turn["username"] == f"{body['expires_at']}:{ayu.user['id']}"
    expected = hmac.new(SECRET.encode(), turn["username"].encode(), hashlib.sha1).digest()
    assert base64.b64decode(turn["credential"]) == expected


def test_each_person_gets_their_own_username(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, turn_urls="turn:127.0.0.1:3478", turn_secret=SECRET)
    ayu, budi = sign_up(client, "ayu"), sign_up(client, "budi")
    first = client.get(PATH, headers=ayu.headers).json()["ice_servers"][0]
    second = client.get(PATH, headers=budi.headers).json()["ice_servers"][0]
    assert first["username"].endswith(ayu.user["id"])
    assert second["username"].endswith(budi.user["id"])
    assert first["credential"] != second["credential"]


def test_without_configuration_the_list_is_empty(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    response = client.get(PATH, headers=sign_up(client).headers)
    assert response.status_code == 200
    assert response.json() == {"ice_servers": [], "ttl": 86400, "expires_at": None}


def test_anonymous_and_bad_tokens_get_the_401_envelope(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, turn_urls="turn:127.0.0.1:3478", turn_secret=SECRET)
    anonymous = client.get(PATH)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    forged = client.get(PATH, headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401
    assert set(forged.json()["error"]) >= {"code", "message"}
    assert "credential" not in forged.text
