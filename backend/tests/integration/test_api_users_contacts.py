"""/api/v1/users/contacts and /users/search, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from rapat.domain.presence import IN_MEETING
from rapat.services.presence import mark_online
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.users_helpers import error, execute, fields, presence, run

CONTACTS = "/api/v1/users/contacts"
SEARCH = "/api/v1/users/search"
PUBLIC_KEYS = {"id", "first_name", "last_name", "avatar_url"}


def _add(client: TestClient, who: SignedIn, user_id: str) -> Any:
    return client.post(CONTACTS, json={"user_id": user_id}, headers=who.headers)


def _names(items: list[dict[str, Any]]) -> list[str]:
    return [f"{item['first_name']} {item['last_name']}" for item in items]


def test_contacts_add_list_with_presence_and_remove(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url, rate_limits_enabled=False)
    ana = sign_up(client, first_name="Ana", last_name="Lim")
    zed = sign_up(client, first_name="zed", last_name="Ong")
    bo = sign_up(client, first_name="Bo", last_name="Tan")
    cy = sign_up(client, first_name="Cy", last_name="Wu")
    assert client.get(CONTACTS, headers=ana.headers).json() == []

    added = _add(client, ana, zed.user["id"])
    assert added.status_code == 201, added.text
    contact = added.json()
    assert set(contact) == {"user", "presence", "added_at"}
    assert set(contact["user"]) == PUBLIC_KEYS
    assert contact["user"]["id"] == zed.user["id"]
    assert contact["presence"] == "offline"
    for other in (bo, cy):
        assert _add(client, ana, other.user["id"]).status_code == 201

    run(client, lambda: mark_online(presence(client), uuid.UUID(bo.user["id"])))
    run(client, lambda: mark_online(presence(client), uuid.UUID(cy.user["id"])))
    run(client, lambda: presence(client).touch(IN_MEETING, cy.user["id"], 60))
    listed = client.get(CONTACTS, headers=ana.headers).json()
    assert _names([item["user"] for item in listed]) == ["Bo Tan", "Cy Wu", "zed Ong"]
    assert [item["presence"] for item in listed] == ["online", "in_meeting", "offline"]
    # Contacts are one-way: Bo did not add Ana.
    assert client.get(CONTACTS, headers=bo.headers).json() == []

    removed = client.delete(f"{CONTACTS}/{bo.user['id']}", headers=ana.headers)
    assert removed.status_code == 204
    again = client.delete(f"{CONTACTS}/{bo.user['id']}", headers=ana.headers)
    assert again.status_code == 404
    listed = client.get(CONTACTS, headers=ana.headers).json()
    assert [item["user"]["id"] for item in listed] == [cy.user["id"], zed.user["id"]]


def test_contacts_refusals(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url, rate_limits_enabled=False)
    ana, bo, gone = sign_up(client), sign_up(client), sign_up(client)
    assert _add(client, ana, bo.user["id"]).status_code == 201

    duplicate = _add(client, ana, bo.user["id"])
    assert duplicate.status_code == 409
    assert error(duplicate)["code"] == "already_contact"
    itself = _add(client, ana, ana.user["id"])
    assert itself.status_code == 400
    assert error(itself)["code"] == "cannot_add_self"

    execute(client, "UPDATE users SET status = 'inactive' WHERE email = :email", email=gone.email)
    unknown = _add(client, ana, str(uuid.uuid4()))
    inactive = _add(client, ana, gone.user["id"])
    assert unknown.status_code == inactive.status_code == 404
    assert error(unknown) == error(inactive)
    assert error(unknown)["code"] == "user_not_found"

    # Removing someone who is not a contact answers as for a user who does not exist.
    not_contact = client.delete(f"{CONTACTS}/{gone.user['id']}", headers=ana.headers)
    nobody = client.delete(f"{CONTACTS}/{uuid.uuid4()}", headers=ana.headers)
    assert not_contact.status_code == nobody.status_code == 404
    assert error(not_contact) == error(nobody)

    bad = _add(client, ana, "not-a-uuid")
    assert bad.status_code == 422
    assert "body.user_id" in fields(bad)
    extra = client.post(CONTACTS, json={"user_id": bo.user["id"], "x": 1}, headers=ana.headers)
    assert extra.status_code == 422
    assert client.delete(f"{CONTACTS}/nope", headers=ana.headers).status_code == 422


def test_disabled_contacts_drop_out_of_the_list(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, rate_limits_enabled=False)
    ana, bo = sign_up(client), sign_up(client)
    _add(client, ana, bo.user["id"])
    execute(client, "UPDATE users SET status = 'banned' WHERE email = :email", email=bo.email)
    assert client.get(CONTACTS, headers=ana.headers).json() == []


def test_search_by_name_or_email_prefix(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url, rate_limits_enabled=False)
    me = sign_up(client, "annie", first_name="Ana", last_name="Lim")
    anton = sign_up(client, "tony", first_name="Anton", last_name="Gray")
    sign_up(client, "bo", first_name="Bo", last_name="Anders")
    sign_up(client, "zoe", first_name="Zoe", last_name="Quinn")
    off = sign_up(client, "andy", first_name="Andy", last_name="Off")
    execute(client, "UPDATE users SET status = 'inactive' WHERE email = :email", email=off.email)

    found = client.get(SEARCH, params={"q": "  aN "}, headers=me.headers)
    assert found.status_code == 200, found.text
    page = found.json()
    # Anton (first name) and Bo Anders (last name); not the caller, not the inactive Andy.
    assert _names(page["items"]) == ["Anton Gray", "Bo Anders"]
    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)
    assert all(set(item) == PUBLIC_KEYS for item in page["items"])

    by_email = client.get(SEARCH, params={"q": anton.email[:6].upper()}, headers=me.headers)
    assert _names(by_email.json()["items"]) == ["Anton Gray"]
    full_name = client.get(SEARCH, params={"q": "zoe q"}, headers=me.headers)
    assert _names(full_name.json()["items"]) == ["Zoe Quinn"]
    # Only prefixes: "nton" is inside "Anton" but starts nothing.
    assert client.get(SEARCH, params={"q": "nton"}, headers=me.headers).json()["total"] == 0
    # Anton's email is not visible to others, but may be searched by its start.
    assert "email" not in str(by_email.json())


def test_search_treats_like_wildcards_as_text(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url, rate_limits_enabled=False)
    me = sign_up(client)
    sign_up(client, first_name="Ann", last_name="Lee")
    sign_up(client, first_name="100%", last_name="Real")
    sign_up(client, first_name="a_b", last_name="Under")
    sign_up(client, first_name="c\\d", last_name="Slash")

    def names(q: str) -> list[str]:
        response = client.get(SEARCH, params={"q": q}, headers=me.headers)
        assert response.status_code == 200, response.text
        return _names(response.json()["items"])

    assert names("%%") == []
    assert names("_%") == []
    assert names("10%") == []  # a wildcard would have matched "100%"
    assert names("100%") == ["100% Real"]
    assert names("a_") == ["a_b Under"]
    assert names("a_c") == names("A%") == []
    assert names("c\\") == ["c\\d Slash"]
    assert names("\\%") == []


def test_search_pages_and_validation(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url, rate_limits_enabled=False)
    me = sign_up(client, first_name="Me", last_name="Myself")
    for letter in "EDCBA":
        sign_up(client, first_name=f"Kim {letter}", last_name="Park")

    def page(**params: Any) -> dict[str, Any]:
        response = client.get(SEARCH, params={"q": "kim", **params}, headers=me.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    first, second, past = page(limit=2), page(limit=2, offset=2), page(limit=2, offset=10)
    assert _names(first["items"]) == ["Kim A Park", "Kim B Park"]
    assert _names(second["items"]) == ["Kim C Park", "Kim D Park"]
    assert (first["total"], second["total"], past["total"]) == (5, 5, 5)
    assert past["items"] == []

    for params in (
        {"q": "k"},
        {"q": "  k  "},
        {"q": "k" * 101},
        {},
        {"q": "kim", "limit": 0},
        {"q": "kim", "limit": 51},
        {"q": "kim", "offset": -1},
        {"q": "kim", "limit": "many"},
    ):
        refused = client.get(SEARCH, params=params, headers=me.headers)
        assert refused.status_code == 422, params
        assert error(refused)["code"] == "validation_failed"


def test_search_is_rate_limited_per_user(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, rate_limits_enabled=False)
    ana = sign_up(client)
    limited = make_client(sqlite_url, migrate_first=False, rate_limits_enabled=True)
    first = limited.get(SEARCH, params={"q": "an"}, headers=ana.headers)
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "60"
    statuses = [
        limited.get(SEARCH, params={"q": "an"}, headers=ana.headers).status_code for _ in range(60)
    ]
    assert statuses[-1] == 429
    assert statuses.count(200) == 59


def test_a_signed_in_request_shows_the_caller_online(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    ana, zed = sign_up(client), sign_up(client)
    assert _add(client, ana, zed.user["id"]).json()["presence"] == "offline"
    assert client.get("/api/v1/users/profile", headers=zed.headers).status_code == 200
    [listed] = client.get(CONTACTS, headers=ana.headers).json()
    assert listed["presence"] == "online"
