"""Password hashing and the password policy.

bcrypt reads at most 72 bytes, so the password is first reduced with SHA-256 (base64, 44
bytes): long passphrases keep all their strength and nothing is silently cut off.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import bcrypt

MIN_LENGTH = 10
MAX_LENGTH = 128

# The most used passwords of at least MIN_LENGTH characters in public breach corpora.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "0123456789",
        "1q2w3e4r5t",
        "qwertyuiop",
        "1qaz2wsx3edc",
        "password12",
        "password123",
        "password1234",
        "iloveyou12",
        "qwerty1234",
        "qwerty12345",
        "asdfghjkl1",
        "1234qwerty",
        "abcdefghij",
        "abc1234567",
        "aaaaaaaaaa",
        "1111111111",
        "0000000000",
        "9876543210",
        "football12",
        "princess12",
        "sunshine12",
        "welcome123",
        "letmein123",
        "passw0rd12",
        "administrator",
        "changeme123",
        "trustno1234",
        "zaq12wsxcde",
        "qazwsxedcrfv",
        "1q2w3e4r5t6y",
        "superman123",
        "baseball12",
        "whatever12",
    }
)


@dataclass(frozen=True, slots=True)
class PolicyViolation:
    code: str
    message: str


def check_password_policy(password: str, email: str | None = None) -> PolicyViolation | None:
    """The first rule the password breaks, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return PolicyViolation("too_short", f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        return PolicyViolation("too_long", f"Use at most {MAX_LENGTH} characters.")
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return PolicyViolation("too_common", "This password is too easy to guess.")
    if email:
        name = email.split("@", 1)[0].lower()
        if len(name) >= 4 and name in password.lower():
            return PolicyViolation("contains_email", "Do not use your email in the password.")
    return None


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode()).digest())


class PasswordHasher:
    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        # Checked against when the email is unknown, so both cases take the same time.
        self._decoy = self.hash("decoy password that never matches")

    def hash(self, password: str) -> str:
        return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(self.rounds)).decode()

    def verify(self, password: str, hashed: str | None) -> bool:
        try:
            return bcrypt.checkpw(_prehash(password), (hashed or self._decoy).encode()) and (
                hashed is not None
            )
        except ValueError:  # a malformed stored hash never matches
            return False

    def needs_rehash(self, hashed: str) -> bool:
        """True when the stored hash used a different cost than configured now."""
        try:
            return int(hashed.split("$")[2]) != self.rounds
        except (IndexError, ValueError):
            return True
