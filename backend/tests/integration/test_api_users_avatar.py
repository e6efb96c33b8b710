"""/api/v1/users/profile/avatar and the public /users/{id}/avatar, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tests.image_samples import encode, halves, jpeg_with_exif, png_header_only, webp_claiming
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.users_helpers import error

AVATAR = "/api/v1/users/profile/avatar"
IMMUTABLE = "public, max-age=31536000, immutable"
MIB = 1024 * 1024


def _upload(
    client: TestClient,
    who: SignedIn,
    data: bytes,
    filename: str = "me.png",
    content_type: str = "image/png",
) -> Any:
    return client.put(AVATAR, files={"file": (filename, data, content_type)}, headers=who.headers)


def _picture(response: Any) -> Image.Image:
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


@pytest.fixture
def client(make_client: AppMaker, database_url: str) -> TestClient:
    return make_client(database_url, rate_limits_enabled=False)


@pytest.mark.parametrize(
    ("data", "filename", "content_type"),
    [
        (encode(halves((500, 300), "RGBA"), "PNG"), "me.png", "image/png"),
        (jpeg_with_exif((400, 200)), "IMG_0001.JPG", "image/jpeg"),
        (encode(halves((256, 512)), "WEBP"), "me.webp", "image/webp"),
        # The declared name and type are ignored: the bytes are a JPEG.
        (jpeg_with_exif((300, 300), orientation=1), "notes.txt", "text/plain"),
    ],
    ids=["png", "jpeg-with-exif", "webp", "mislabelled-jpeg"],
)
def test_upload_is_reencoded_and_served_publicly(
    client: TestClient, data: bytes, filename: str, content_type: str
) -> None:
    ana = sign_up(client)
    uploaded = _upload(client, ana, data, filename, content_type)
    assert uploaded.status_code == 200, uploaded.text
    user = uploaded.json()
    assert user["id"] == ana.user["id"]
    assert user["avatar_url"].startswith(f"/api/v1/users/{ana.user['id']}/avatar?v=")
    assert client.get("/api/v1/users/profile", headers=ana.headers).json() == user

    served = client.get(user["avatar_url"])  # no token: <img> tags cannot send one
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"] == IMMUTABLE
    assert served.headers["x-content-type-options"] == "nosniff"
    picture = _picture(served)
    assert (picture.format, picture.size) == ("PNG", (256, 256))
    assert not picture.getexif()
    assert b"SecretCam" not in served.content


def test_jpeg_orientation_is_applied(client: TestClient) -> None:
    ana = sign_up(client)
    url = _upload(client, ana, jpeg_with_exif((400, 200), orientation=6)).json()["avatar_url"]
    picture = _picture(client.get(url)).convert("RGB")
    left, right = picture.getpixel((40, 128)), picture.getpixel((216, 128))
    assert isinstance(left, tuple)
    assert isinstance(right, tuple)
    assert left[2] > 200 > left[0]  # blue on the left, red on the right: turned upright
    assert right[0] > 200 > right[2]


def test_versions_caching_and_delete(client: TestClient) -> None:
    ana = sign_up(client)
    first = _upload(client, ana, encode(halves((64, 64)), "PNG")).json()["avatar_url"]
    second = _upload(client, ana, jpeg_with_exif((64, 64))).json()["avatar_url"]
    version = int(first.rpartition("=")[2])
    assert second.endswith(f"?v={version + 1}")

    old = client.get(first)  # an old URL still answers, with the current picture, briefly cached
    assert old.status_code == 200
    assert old.content == client.get(second).content
    assert old.headers["cache-control"] == "public, max-age=60"
    bare = client.get(f"/api/v1/users/{ana.user['id']}/avatar")
    assert bare.headers["cache-control"] == "public, max-age=60"
    etag = bare.headers["etag"]
    assert client.get(second, headers={"If-None-Match": etag}).status_code == 304

    deleted = client.delete(AVATAR, headers=ana.headers)
    assert deleted.status_code == 200
    assert deleted.json()["avatar_url"] is None
    assert client.get("/api/v1/users/profile", headers=ana.headers).json()["avatar_url"] is None
    gone = client.get(second)
    assert gone.status_code == 404
    assert error(gone)["code"] == "avatar_not_found"
    # A user who never had one, and no user at all: the same answer.
    bo = sign_up(client)
    never = client.get(f"/api/v1/users/{bo.user['id']}/avatar")
    nobody = client.get(f"/api/v1/users/{uuid.uuid4()}/avatar")
    assert never.status_code == nobody.status_code == 404
    assert error(never) == error(nobody)
    assert client.delete(AVATAR, headers=ana.headers).status_code == 200  # idempotent

    # A picture after a deletion must not reuse a URL a browser may have kept forever.
    again = _upload(client, ana, encode(halves((64, 64)), "PNG")).json()["avatar_url"]
    assert again not in (first, second)


@pytest.mark.parametrize(
    "data",
    [
        b"just some text, named like a picture\n",
        encode(halves((32, 32)), "GIF"),
        encode(halves((200, 200)), "PNG")[:150],
        b"",
    ],
    ids=["text-named-png", "gif", "truncated", "empty"],
)
def test_unsupported_files_are_refused(client: TestClient, data: bytes) -> None:
    ana = sign_up(client)
    refused = _upload(client, ana, data, "picture.png", "image/png")
    assert refused.status_code == 415
    assert error(refused)["code"] == "unsupported_image"
    assert client.get("/api/v1/users/profile", headers=ana.headers).json()["avatar_url"] is None


@pytest.mark.parametrize(
    "data",
    [
        png_header_only(4_001, 4_000),  # one row over the 16-megapixel cap
        png_header_only(7_000, 7_000),
        png_header_only(10_000, 10_000),  # Pillow warns (a DecompressionBombWarning)
        png_header_only(20_000, 20_000),  # Pillow refuses (a DecompressionBombError)
        webp_claiming(10_000, 10_000),  # refused before Pillow allocates the canvas
    ],
    ids=["just-over-cap", "49-mpx", "pillow-warning", "pillow-error", "webp-canvas"],
)
def test_decompression_bombs_are_refused(client: TestClient, data: bytes) -> None:
    ana = sign_up(client)
    refused = _upload(client, ana, data)
    assert refused.status_code == 413
    assert error(refused) == {
        "code": "payload_too_large",
        "message": "The picture has more than 16,000,000 pixels.",
    }


def test_oversized_uploads_are_refused(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, rate_limits_enabled=False)
    ana = sign_up(client)
    # Over the server's body limit (2 MiB by default): refused before the route runs.
    whole = _upload(client, ana, b"\x89PNG" + b"\0" * (2 * MIB))
    assert whole.status_code == 413
    assert error(whole)["code"] == "payload_too_large"
    # With a larger body limit, the picture's own limit still holds.
    roomy = make_client(
        sqlite_url, migrate_first=False, rate_limits_enabled=False, max_body_bytes=4 * MIB
    )
    own = _upload(roomy, ana, b"\x89PNG" + b"\0" * (2 * MIB))
    assert own.status_code == 413
    assert error(own)["code"] == "payload_too_large"


def test_upload_needs_a_file_and_a_token(client: TestClient) -> None:
    ana = sign_up(client)
    missing = client.put(AVATAR, data={"other": "x"}, headers=ana.headers)
    assert missing.status_code == 422
    assert any(p["field"] == "body.file" for p in error(missing)["details"])
    assert client.put(AVATAR, files={"file": ("a.png", b"x", "image/png")}).status_code == 401
    assert client.get("/api/v1/users/not-a-uuid/avatar").status_code == 422


def test_upload_is_rate_limited(make_client: AppMaker, sqlite_url: str) -> None:
    client = make_client(sqlite_url, rate_limits_enabled=True)
    ana = sign_up(client)
    data = encode(halves((32, 32)), "PNG")
    refused = _upload(client, ana, b"not a picture")
    assert refused.status_code == 415
    assert refused.headers["X-RateLimit-Remaining"] == "9"
    statuses = [_upload(client, ana, data).status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]
