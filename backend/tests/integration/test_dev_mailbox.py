"""The development mailbox: off (404) in production and with SMTP; otherwise each
signed-in person reads only their own mail, unless the server runs for one person
(RAPAT_DEV_MAILBOX_SHOW_ALL), where anyone reads everything."""

from __future__ import annotations

from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker

PRODUCTION_SECRET = "prod-secret-" + "0123456789abcdef" * 3


def _recipients(mails: list[dict[str, str]]) -> set[str]:
    return {mail["to"] for mail in mails}


def test_each_person_reads_only_their_own_mail(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url, dev_mailbox_show_all=False)
    ana = sign_up(client, "ana")
    budi = sign_up(client, "budi")

    assert client.get("/api/v1/dev/mailbox/status").json() == {"shows": "own"}
    anonymous = client.get("/api/v1/dev/mailbox")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"

    for person, other in ((ana, budi), (budi, ana)):
        mails = client.get("/api/v1/dev/mailbox", headers=person.headers)
        assert mails.status_code == 200, mails.text
        assert _recipients(mails.json()) == {person.email}
        assert all(other.email not in mail["text"] for mail in mails.json())


def test_a_server_for_one_person_shows_every_mail_to_anyone(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, dev_mailbox_show_all=True)
    ana = sign_up(client, "ana")
    budi = sign_up(client, "budi")

    assert client.get("/api/v1/dev/mailbox/status").json() == {"shows": "all"}
    for headers in ({}, ana.headers):
        mails = client.get("/api/v1/dev/mailbox", headers=headers)
        assert mails.status_code == 200, mails.text
        assert _recipients(mails.json()) >= {ana.email, budi.email}


def test_there_is_no_mailbox_to_reach_in_production(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, env="production", secret_key=PRODUCTION_SECRET)
    ana = sign_up(client, "ana")
    for headers in ({}, ana.headers):
        assert client.get("/api/v1/dev/mailbox/status", headers=headers).status_code == 404
        assert client.get("/api/v1/dev/mailbox", headers=headers).status_code == 404
