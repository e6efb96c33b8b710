"""`.env.example` documents exactly the variables Settings reads."""

from __future__ import annotations

import re
from pathlib import Path

from rapat.config import ENV_PREFIX, Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[3] / ".env.example"


def test_every_setting_is_documented_and_nothing_else() -> None:
    documented = set(re.findall(r"^#?\s?(RAPAT_[A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))
    expected = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    assert documented == expected


def test_documented_defaults_are_valid() -> None:
    values = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line.startswith(ENV_PREFIX) and not line.endswith("=")
    )
    settings = Settings(
        _env_file=None, **{k[len(ENV_PREFIX) :].lower(): v for k, v in values.items()}
    )  # type: ignore[arg-type]
    assert settings.port == 8080
    assert settings == Settings(_env_file=None)  # type: ignore[call-arg]
