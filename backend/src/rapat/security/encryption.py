"""AES-GCM encryption for data at rest, with key ids so keys can rotate.

A ciphertext reads `v1.<key id>.<base64url(nonce || ciphertext+tag)>`. The first key
encrypts; every configured key decrypts, so old rows stay readable after a rotation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
NONCE_BYTES = 12
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class DecryptionError(Exception):
    """The value was not encrypted by one of our keys, or was tampered with."""


def parse_keys(spec: str) -> dict[str, bytes]:
    """`id:base64key,id2:base64key` -> ordered {id: 32-byte key}; ValueError when malformed."""
    keys: dict[str, bytes] = {}
    for part in (item.strip() for item in spec.split(",")):
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise ValueError(f"key entry {key_id!r} must look like `id:base64key`")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"key {key_id!r} is not valid base64") from None
        if len(key) != 32:
            raise ValueError(f"key {key_id!r} must be 32 bytes (AES-256), got {len(key)}")
        if key_id in keys:
            raise ValueError(f"key id {key_id!r} appears twice")
        keys[key_id] = key
    if not keys:
        raise ValueError("no keys given")
    return keys


def derive_key(secret: str, purpose: str = "rapat-encryption-at-rest") -> bytes:
    return hashlib.blake2b(secret.encode(), key=purpose.encode(), digest_size=32).digest()


class Encryptor:
    def __init__(self, keys: dict[str, bytes]) -> None:
        if not keys:
            raise ValueError("at least one key is required")
        self._keys = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.active_key_id = next(iter(keys))

    def encrypt(self, plaintext: str, context: str = "") -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._keys[self.active_key_id].encrypt(nonce, plaintext.encode(), context.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{VERSION}.{self.active_key_id}.{body}"

    def decrypt(self, token: str, context: str = "") -> str:
        version, _, rest = token.partition(".")
        key_id, _, body = rest.partition(".")
        cipher = self._keys.get(key_id)
        if version != VERSION or cipher is None or not body:
            raise DecryptionError("unknown format or key id")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
        except (InvalidTag, ValueError, binascii.Error):
            raise DecryptionError("ciphertext does not verify") from None

    def key_id_of(self, token: str) -> str:
        return token.split(".", 2)[1] if token.count(".") >= 2 else ""
