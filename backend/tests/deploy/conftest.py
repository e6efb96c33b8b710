from tests.integration.app_fixtures import make_client

__all__ = ["make_client"]
