"""/api/v1/users/contacts, on SQLite and PostgreSQL (search: test_api_users_search.py)."""

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


def test_a_signed_in_request_shows_the_caller_online(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url)
    ana, zed = sign_up(client), sign_up(client)
    assert _add(client, ana, zed.user["id"]).json()["presence"] == "offline"
    assert client.get("/api/v1/users/profile", headers=zed.headers).status_code == 200
    [listed] = client.get(CONTACTS, headers=ana.headers).json()
    assert listed["presence"] == "online"
