"""Credentials and cryptography: password hashing, tokens, encryption at rest. A leaf."""
