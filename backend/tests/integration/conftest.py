from collections.abc import Iterator

import pytest

from tests.integration.app_fixtures import make_client
from tests.s3_server import S3Credentials, SeaweedS3

__all__ = ["make_client", "s3_server"]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Credentials]:
    """One real S3-compatible server (SeaweedFS) for the session; tests use their own
    buckets."""
    server = SeaweedS3()
    server.start()
    try:
        yield server.credentials
    finally:
        server.stop()
