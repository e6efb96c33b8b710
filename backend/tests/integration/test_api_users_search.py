"""/api/v1/users/search, on SQLite and PostgreSQL: who may be found, and how.

Only people who turned on `discoverable` and the searcher's own contacts are found; names by
their start, email addresses only whole. An address that belongs to a hidden account gets
the very same answer as one that belongs to nobody (docs/security.md, enumeration)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from tests.integration.accounts_helpers import SignedIn, sign_up, unique_email
from tests.integration.app_fixtures import AppMaker
from tests.integration.users_helpers import error, execute, resources

SEARCH = "/api/v1/users/search"
CONTACTS = "/api/v1/users/contacts"
SETTINGS = "/api/v1/users/settings"
PUBLIC_KEYS = {"id", "first_name", "last_name", "avatar_url"}


def _names(items: list[dict[str, Any]]) -> list[str]:
    return [f"{item['first_name']} {item['last_name']}" for item in items]


def _discoverable(client: TestClient, who: SignedIn, value: bool = True) -> None:
    response = client.put(SETTINGS, json={"settings": {"discoverable": value}}, headers=who.headers)
    assert response.status_code == 200, response.text
    assert response.json()["settings"]["discoverable"] is value


def _found(client: TestClient, who: SignedIn, q: str, **params: Any) -> list[str]:
    response = client.get(SEARCH, params={"q": q, **params}, headers=who.headers)
    assert response.status_code == 200, response.text
    return _names(response.json()["items"])


def _client(make_client: AppMaker, database_url: str) -> TestClient:
    return make_client(database_url, rate_limits_enabled=False)


def test_only_discoverable_people_are_found(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    me = sign_up(client, first_name="Me", last_name="Myself")
    hidden = sign_up(client, "hidden", first_name="Hana", last_name="Hidden")
    shown = sign_up(client, "shown", first_name="Hana", last_name="Shown")
    _discoverable(client, shown)

    # Hidden by default: neither by name nor by the whole address.
    assert _found(client, me, "hana") == ["Hana Shown"]
    assert _found(client, me, "hidden") == []
    assert _found(client, me, hidden.email) == []
    assert _found(client, me, shown.email) == ["Hana Shown"]
    # Turned on, then off again: the choice takes effect at once.
    _discoverable(client, hidden)
    assert _found(client, me, "hana") == ["Hana Hidden", "Hana Shown"]
    assert _found(client, me, hidden.email) == ["Hana Hidden"]
    _discoverable(client, hidden, False)
    assert _found(client, me, hidden.email) == []


def test_contacts_are_found_even_when_hidden(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    me = sign_up(client, first_name="Me", last_name="Myself")
    friend = sign_up(client, "friend", first_name="Fira", last_name="Friend")
    stranger = sign_up(client, "stranger", first_name="Fira", last_name="Stranger")
    added = client.post(CONTACTS, json={"user_id": friend.user["id"]}, headers=me.headers)
    assert added.status_code == 201, added.text

    assert _found(client, me, "fira") == ["Fira Friend"]
    assert _found(client, me, friend.email.upper()) == ["Fira Friend"]
    # Contacts are one-way: the friend did not add me, so I stay hidden from them.
    assert _found(client, friend, "me") == []
    assert _found(client, stranger, "fira") == []


def test_a_hidden_address_answers_as_an_unknown_one(
    make_client: AppMaker, database_url: str
) -> None:
    client = _client(make_client, database_url)
    me = sign_up(client)
    hidden = sign_up(client, "hidden", first_name="Hana", last_name="Hidden")
    off = sign_up(client, "off", first_name="Otto", last_name="Off")
    _discoverable(client, off)
    execute(client, "UPDATE users SET status = 'inactive' WHERE email = :email", email=off.email)

    answers = [
        client.get(SEARCH, params={"q": q}, headers=me.headers)
        for q in (hidden.email, unique_email("hidden"), off.email)
    ]
    assert {answer.status_code for answer in answers} == {200}
    # Byte for byte, headers that describe the body included.
    assert len({answer.content for answer in answers}) == 1
    assert answers[0].json() == {"items": [], "total": 0, "limit": 20, "offset": 0}
    assert len({answer.headers["content-length"] for answer in answers}) == 1


def _statements(client: TestClient, who: SignedIn, q: str) -> list[str]:
    """The SQL (with placeholders, not values) one search runs to find people; the checks
    of the caller's session are left out (they are cached for a while)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "user_contacts" in statement:
            seen.append(statement)

    engine = resources(client).engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(SEARCH, params={"q": q}, headers=who.headers).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_a_hidden_address_takes_the_same_path_as_an_unknown_one(
    make_client: AppMaker, database_url: str
) -> None:
    """No early answer for addresses nobody has: the same statements run either way, so the
    time taken does not tell them apart beyond the database's own noise."""
    client = _client(make_client, database_url)
    me = sign_up(client)
    hidden = sign_up(client, "hidden")
    shown = sign_up(client, "shown")
    _discoverable(client, shown)

    unknown = _statements(client, me, unique_email("hidden"))
    assert len(unknown) == 2  # the count and the page
    assert _statements(client, me, hidden.email) == unknown
    assert _statements(client, me, shown.email) == unknown


def test_email_matches_only_whole(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    me = sign_up(client)
    anton = sign_up(client, "tony", first_name="Anton", last_name="Gray")
    _discoverable(client, anton)
    local, domain = anton.email.split("@")

    for part in (
        anton.email[:6],
        local,
        f"{local}@",
        anton.email[:-1],
        f"@{domain}",
        domain,
        anton.email[1:],
        "%@example.com",
        f"{local[:4]}_{local[5:]}@{domain}",
    ):
        assert _found(client, me, part) == [], part
    assert _found(client, me, f"  {anton.email.upper()} ") == ["Anton Gray"]


def test_search_by_name_prefix(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    me = sign_up(client, "annie", first_name="Ana", last_name="Lim")
    _discoverable(client, me)
    people = [
        sign_up(client, "tony", first_name="Anton", last_name="Gray"),
        sign_up(client, "bo", first_name="Bo", last_name="Anders"),
        sign_up(client, "zoe", first_name="Zoe", last_name="Quinn"),
    ]
    off = sign_up(client, "andy", first_name="Andy", last_name="Off")
    for person in (*people, off):
        _discoverable(client, person)
    execute(client, "UPDATE users SET status = 'inactive' WHERE email = :email", email=off.email)

    found = client.get(SEARCH, params={"q": "  aN "}, headers=me.headers)
    assert found.status_code == 200, found.text
    page = found.json()
    # Anton (first name) and Bo Anders (last name); not the caller, not the inactive Andy.
    assert _names(page["items"]) == ["Anton Gray", "Bo Anders"]
    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)
    assert all(set(item) == PUBLIC_KEYS for item in page["items"])
    assert _found(client, me, "zoe q") == ["Zoe Quinn"]
    # Only prefixes: "nton" is inside "Anton" but starts nothing.
    assert _found(client, me, "nton") == []
    # Found by the whole address, which is still not shown.
    by_email = client.get(SEARCH, params={"q": people[0].email}, headers=me.headers)
    assert _names(by_email.json()["items"]) == ["Anton Gray"]
    assert "email" not in by_email.text


def test_search_treats_like_wildcards_as_text(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    me = sign_up(client)
    for first, last in (("Ann", "Lee"), ("100%", "Real"), ("a_b", "Under"), ("c\\d", "Slash")):
        _discoverable(client, sign_up(client, first_name=first, last_name=last))

    assert _found(client, me, "%%") == []
    assert _found(client, me, "_%") == []
    assert _found(client, me, "10%") == []  # a wildcard would have matched "100%"
    assert _found(client, me, "100%") == ["100% Real"]
    assert _found(client, me, "a_") == ["a_b Under"]
    assert _found(client, me, "a_c") == _found(client, me, "A%") == []
    assert _found(client, me, "c\\") == ["c\\d Slash"]
    assert _found(client, me, "\\%") == []


def test_search_pages_and_validation(make_client: AppMaker, database_url: str) -> None:
    client = _client(make_client, database_url)
    me = sign_up(client, first_name="Me", last_name="Myself")
    for letter in "EDCBA":
        _discoverable(client, sign_up(client, first_name=f"Kim {letter}", last_name="Park"))

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
