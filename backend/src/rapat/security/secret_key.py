"""The signing secret. Production must configure one; development keeps a generated one
in the data directory so sessions survive restarts."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = "secret.key"


def resolve_secret_key(configured: str | None, data_dir: Path, *, persist: bool) -> str:
    if configured:
        return configured
    if not persist:
        return secrets.token_hex(32)
    path = data_dir / FILE_NAME
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Created readable by the owner only; a concurrent start that wins the race keeps its key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
