"""/api/v1/users/settings: every key with its default, partial updates, strict types."""

from __future__ import annotations

from typing import Any

from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.users_helpers import error, execute, fields

DEFAULTS: dict[str, Any] = {
    "camera_on_join": False,
    "mic_on_join": False,
    "preferred_resolution": "720p",
    "theme": "system",
    "echo_cancellation": True,
    "noise_suppression": True,
    "auto_gain_control": True,
    "notify_email_invitations": True,
    "notify_email_reminders": True,
    "notify_in_app": True,
    "discoverable": False,
}
SETTINGS = "/api/v1/users/settings"


def test_settings_defaults_and_round_trip(make_client: AppMaker, database_url: str) -> None:
    client = make_client(database_url, rate_limits_enabled=False)
    ana, bo = sign_up(client), sign_up(client)
    fresh = client.get(SETTINGS, headers=ana.headers)
    assert fresh.status_code == 200, fresh.text
    assert fresh.json() == {"settings": DEFAULTS}

    first = client.put(
        SETTINGS,
        json={"settings": {"camera_on_join": True, "theme": "dark"}},
        headers=ana.headers,
    )
    assert first.status_code == 200, first.text
    expected = DEFAULTS | {"camera_on_join": True, "theme": "dark"}
    assert first.json() == {"settings": expected}
    # A later subset leaves the other stored keys alone and overwrites its own.
    second = client.put(
        SETTINGS,
        json={"settings": {"theme": "light", "preferred_resolution": "1080p"}},
        headers=ana.headers,
    )
    expected |= {"theme": "light", "preferred_resolution": "1080p"}
    assert second.json() == {"settings": expected}
    # Setting a key back to its default is stored too.
    client.put(SETTINGS, json={"settings": {"camera_on_join": False}}, headers=ana.headers)
    expected["camera_on_join"] = False
    assert client.get(SETTINGS, headers=ana.headers).json() == {"settings": expected}
    assert client.put(SETTINGS, json={"settings": {}}, headers=ana.headers).json() == {
        "settings": expected
    }
    assert client.get(SETTINGS, headers=bo.headers).json() == {"settings": DEFAULTS}


def test_settings_refuse_unknown_keys_and_wrong_types(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url, rate_limits_enabled=False)
    ana = sign_up(client)
    bad = client.put(
        SETTINGS,
        json={
            "settings": {
                "camera_on_join": "true",
                "mic_on_join": 1,
                "theme": "blue",
                "preferred_resolution": None,
                "volume": 3,
            }
        },
        headers=ana.headers,
    )
    assert bad.status_code == 422
    assert error(bad)["code"] == "validation_failed"
    assert fields(bad) == {
        "body.settings.camera_on_join",
        "body.settings.mic_on_join",
        "body.settings.theme",
        "body.settings.preferred_resolution",
        "body.settings.volume",
    }
    # Nothing of a refused request is stored, not even its valid parts.
    partly = client.put(
        SETTINGS, json={"settings": {"theme": "dark", "volume": 3}}, headers=ana.headers
    )
    assert partly.status_code == 422
    assert client.get(SETTINGS, headers=ana.headers).json() == {"settings": DEFAULTS}

    for body in ({}, {"theme": "dark"}, {"settings": ["theme"]}, {"settings": {}, "x": 1}):
        assert client.put(SETTINGS, json=body, headers=ana.headers).status_code == 422


def test_settings_ignore_stored_values_that_no_longer_fit(
    make_client: AppMaker, sqlite_url: str
) -> None:
    client = make_client(sqlite_url, rate_limits_enabled=False)
    ana = sign_up(client)
    client.put(SETTINGS, json={"settings": {"theme": "dark"}}, headers=ana.headers)
    user_id = ana.user["id"].replace("-", "")
    execute(
        client,
        "INSERT INTO user_settings (id, user_id, setting_key, setting_value, created_at, "
        "updated_at) VALUES (:id, :user, :key, :value, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        id="0" * 31 + "1",
        user=user_id,
        key="retired_key",
        value="true",
    )
    execute(
        client,
        "UPDATE user_settings SET setting_value = '\"sepia\"' WHERE setting_key = 'theme'",
    )
    assert client.get(SETTINGS, headers=ana.headers).json() == {"settings": DEFAULTS}
