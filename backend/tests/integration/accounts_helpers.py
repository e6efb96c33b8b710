"""Registering and signing in test users through the real API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"


@dataclass
class SignedIn:
    email: str
    user: dict[str, Any]
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(name: str = "user") -> str:
    return f"{name}-{uuid4().hex[:8]}@example.com"


def register(
    client: TestClient, email: str | None = None, password: str = PASSWORD, **names: str
) -> dict[str, Any]:
    body = {
        "email": email or unique_email(),
        "password": password,
        "first_name": names.get("first_name", "Ana"),
        "last_name": names.get("last_name", "Lim"),
    }
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()["user"]
    return user


def login(client: TestClient, email: str, password: str = PASSWORD, **headers: str) -> SignedIn:
    response = client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}, headers=headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return SignedIn(email, body["user"], body["access_token"], body["refresh_token"])


def sign_up(client: TestClient, name: str = "user", **names: str) -> SignedIn:
    email = unique_email(name)
    register(client, email, **names)
    return login(client, email)


def mails_to(client: TestClient, email: str) -> list[dict[str, Any]]:
    response = client.get("/api/v1/dev/mailbox")
    assert response.status_code == 200, response.text
    return [mail for mail in response.json() if mail["to"] == email]


def link_token(mail: dict[str, Any], path: str) -> str:
    match = re.search(rf"/{path}\?token=([A-Za-z0-9_\-]+)", mail["text"])
    assert match, mail["text"]
    return match.group(1)
