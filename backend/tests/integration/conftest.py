from collections.abc import Iterator

import pytest

from tests.integration.app_fixtures import make_client
from tests.s3_server import S3Credentials, SeaweedS3

__all__ = ["make_client", "s3_server"]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Credentials]:
    """One real S3-compatible server (SeaweedFS) for the session; tests use their own
    buckets."""
    server = start_seaweed()
    try:
        yield server.credentials
    finally:
        server.stop()


START_ATTEMPTS = 3


def start_seaweed() -> SeaweedS3:
    """A started server. Its eight ports are picked free, then bound by weed a moment
    later; meanwhile the kernel may hand one to an outgoing connection as its ephemeral
    port (seen with two test workers: "bind: address already in use"). Then it starts
    again on other ports."""
    for attempt in range(1, START_ATTEMPTS + 1):
        server = SeaweedS3()
        try:
            server.start()
        except RuntimeError as error:
            if "address already in use" not in str(error) or attempt == START_ATTEMPTS:
                raise
            continue
        return server
    raise AssertionError("unreachable")
