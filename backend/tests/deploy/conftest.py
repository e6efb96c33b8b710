from tests.deploy.containers import rapat_image
from tests.integration.app_fixtures import make_client
from tests.integration.test_serve_processes import redis_prefix_cleaned

__all__ = ["make_client", "rapat_image", "redis_prefix_cleaned"]
