"""Writes one benchmark's figures into docs/benchmarks.md, replacing its previous section."""

from __future__ import annotations

import platform
import re
from datetime import UTC, datetime
from pathlib import Path

REPORT = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\n"
    "Figures written by the scripts in `bench/` (each replaces its own section).\n"
    "Run one with `.venv/bin/python bench/<script>.py`.\n"
)


def machine() -> str:
    return (
        f"{platform.machine()}, Python {platform.python_version()}, {platform.system()}"
    )


def write_section(name: str, body: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"<!-- bench:{name} -->\n## {name}\n\n_Run {stamp} on {machine()}._\n\n"
        f"{body.strip()}\n<!-- /bench:{name} -->\n"
    )
    text = REPORT.read_text() if REPORT.exists() else HEADER
    pattern = re.compile(
        rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->\n",
        re.DOTALL,
    )
    text = (
        pattern.sub(lambda _: section, text)
        if pattern.search(text)
        else f"{text}\n{section}"
    )
    REPORT.write_text(text)
