"""Pure ASGI middlewares, one per file."""
