"""A real `rapat worker` process, a queue name of its own, and an SMTP server to send to."""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

import aio_pika

AMQP_URL = os.environ.get("RAPAT_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
SECRET = "test-secret-key-0123456789abcdef0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ScriptedInbox:
    """An aiosmtpd handler whose answer to each message is chosen by ``script(n)`` (the
    n-th DATA, from 1): a reply line, or None to hang as a server that never answers."""

    def __init__(self, script: Callable[[int], str | None]) -> None:
        self.script = script
        self.calls = 0
        self.messages: list[Message] = []
        self.called = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.calls += 1
        self.called.set()
        reply = self.script(self.calls)
        if reply is None:
            await asyncio.sleep(3600)
            return "451 never"
        if reply.startswith("250"):
            self.messages.append(email.message_from_bytes(envelope.content))
        return reply


class Worker:
    """`python -m rapat.cli worker` with the given RAPAT_* settings."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self._log = log.open("ab")
        clean = {k: v for k, v in os.environ.items() if not k.startswith("RAPAT_")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rapat.cli", "worker", "--no-scheduler"],
            env={**clean, **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self._log.close()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(20)
        self._log.close()
        return code

    def ensure_gone(self) -> None:
        """After a failed test: no worker outlives it (idempotent)."""
        if self.process.poll() is None:
            self.kill()


def worker_env(database_url: str, queue: str, smtp_port: int, **extra: str) -> dict[str, str]:
    return {
        "RAPAT_ENV": "test",
        "RAPAT_SECRET_KEY": SECRET,
        "RAPAT_DATABASE_URL": database_url,
        "RAPAT_BROKER_URL": AMQP_URL,
        "RAPAT_JOBS_QUEUE": queue,
        "RAPAT_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "RAPAT_MAIL_FROM": "Rapat <meet@rapat.example>",
        "RAPAT_LOG_FORMAT": "console",
        "RAPAT_SFU_ENABLED": "false",
        **extra,
    }


async def delete_queues(queue: str) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    try:
        channel = await connection.channel()
        for suffix in ("jobs", "delay", "dead"):
            await channel.queue_delete(f"{queue}.{suffix}", if_unused=False, if_empty=False)
    finally:
        await connection.close()


async def dead_letters(queue: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
    connection = await aio_pika.connect(AMQP_URL)
    found = []
    try:
        channel = await connection.channel()
        dead = await channel.declare_queue(f"{queue}.dead", passive=True)
        while (message := await dead.get(fail=False, no_ack=True)) is not None:
            found.append(message)
    finally:
        await connection.close()
    return found
