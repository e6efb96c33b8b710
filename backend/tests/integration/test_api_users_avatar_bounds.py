"""What decoding pictures may cost: a decompression bomb is refused before any pixel is
allocated, concurrent uploads are decoded a few at a time, and a full decoder pool answers
503 at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

from fastapi.testclient import TestClient

from tests.image_samples import encode, halves, png_bomb
from tests.integration.accounts_helpers import SignedIn, sign_up
from tests.integration.app_fixtures import AppMaker, runtime
from tests.integration.users_helpers import error
from tests.memory_peak import MIB, peak_growth

AVATAR = "/api/v1/users/profile/avatar"
# Pillow holds an RGB pixel in 4 bytes.
BYTES_PER_PIXEL = 4
CONCURRENT = 8
WORKERS = 2
# Exactly at the 16-megapixel cap; flat colours, so it is far under 2 MiB as a PNG.
LARGE = (4_000, 4_000)


@cache
def _large_png() -> bytes:
    return encode(halves(LARGE), "PNG")


def _upload(client: TestClient, who: SignedIn, data: bytes) -> Any:
    return client.put(AVATAR, files={"file": ("me.png", data, "image/png")}, headers=who.headers)


def test_a_decompression_bomb_is_refused_without_decoding(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(database_url, rate_limits_enabled=False)
    ana = sign_up(client)
    bomb = png_bomb(7_000, 7_000)  # a valid PNG: decoding it would fill every page
    decoded = 7_000 * 7_000 * BYTES_PER_PIXEL
    assert len(bomb) < MIB < decoded // 100

    with peak_growth() as growth:
        refused = _upload(client, ana, bomb)

    assert refused.status_code == 413
    assert error(refused)["code"] == "payload_too_large"
    assert growth.bytes < 16 * MIB < decoded // 10, f"the peak rose {growth.mib:.0f} MiB"


def test_concurrent_uploads_are_decoded_a_few_at_a_time(
    make_client: AppMaker, database_url: str
) -> None:
    # Room in the queue for every upload, so all succeed and only the workers bound memory.
    client = make_client(
        database_url,
        rate_limits_enabled=False,
        avatar_decode_workers=WORKERS,
        avatar_decode_queue=CONCURRENT - WORKERS,
    )
    people = [sign_up(client, f"p{index}") for index in range(CONCURRENT)]
    data = _large_png()
    decoded = LARGE[0] * LARGE[1] * BYTES_PER_PIXEL

    with peak_growth() as growth, ThreadPoolExecutor(CONCURRENT) as senders:
        responses = list(senders.map(lambda who: _upload(client, who, data), people))

    assert [r.status_code for r in responses] == [200] * CONCURRENT, responses[0].text
    # The decodes at work, one more for what each leaves behind, and nothing near the
    # CONCURRENT x decoded that decoding every upload at once takes.
    bound = (WORKERS + 1) * decoded
    assert bound <= CONCURRENT * decoded // 2
    assert growth.bytes < bound, f"the peak rose {growth.mib:.0f} MiB, over {bound // MIB}"


def test_a_full_decoder_pool_answers_503_with_retry_after(
    make_client: AppMaker, database_url: str
) -> None:
    client = make_client(
        database_url, rate_limits_enabled=False, avatar_decode_workers=1, avatar_decode_queue=1
    )
    ana = sign_up(client)
    small = encode(halves((64, 64)), "PNG")
    pool = runtime(client).services.avatar_decoders
    gate = threading.Event()
    # One job running and one queued, each waiting for the gate: the pool is full.
    held = [pool.submit(gate.wait) for _ in range(pool.capacity)]
    try:
        busy = _upload(client, ana, small)
    finally:
        gate.set()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "2"
    assert error(busy) == {
        "code": "avatar_busy",
        "message": "Too many pictures are being processed; try again in a few seconds.",
    }
    assert all(job.result(timeout=10) for job in held)
    profile = client.get("/api/v1/users/profile", headers=ana.headers).json()
    assert profile["avatar_url"] is None

    # The places are given back once the jobs are done.
    assert _upload(client, ana, small).status_code == 200
