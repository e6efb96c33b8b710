"""The signing secret. Production must configure one; development keeps a generated one
in the data directory so sessions survive restarts."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

FILE_NAME = "secret.key"


class SecretKeyFileError(RuntimeError):
    """The key file exists but holds no usable key (damaged by hand or by a full disk)."""


def resolve_secret_key(configured: str | None, data_dir: Path, *, persist: bool) -> str:
    if configured:
        return configured
    if not persist:
        return secrets.token_hex(32)
    path = data_dir / FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        _publish_new_key(path)
    return _read_key(path)


def _publish_new_key(path: Path) -> None:
    """Write a key in a private temporary file, then link it to its name: the name appears
    only with the whole key behind it, so processes started together never read a half-
    written (empty) file, and the first link wins for all of them."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as handle:  # mkstemp creates it readable by the owner only
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        # another process that published its key first wins: everyone uses that one
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _read_key(path: Path) -> str:
    key = path.read_text().strip()
    if len(key) < 32:
        raise SecretKeyFileError(
            f"{path} holds no usable secret key. Delete it to have a new one generated "
            "(everyone signed in will have to sign in again), or set RAPAT_SECRET_KEY."
        )
    return key
