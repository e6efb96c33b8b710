"""The systemd units of deploy/systemd, checked as systemd reads them: `systemd-analyze
verify` (syntax, known settings, the executable exists) and `systemd-analyze security
--offline` (the hardening's exposure score), against a scratch root holding this machine's
system units and a stand-in for /opt/rapat/bin/rapat. systemd cannot run services here
(it is not PID 1), so the units are verified, not started."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rapat.config import Settings
from rapat.config.check import check_settings

pytestmark = pytest.mark.deploy

UNITS = Path(__file__).resolve().parents[3] / "deploy" / "systemd"
SYSTEM_UNITS = Path("/usr/lib/systemd/system")
RAPAT = "opt/rapat/bin/rapat"
# systemd-analyze's exposure, 0 (locked down) to 10; the units score 1.7 with systemd 252.
MAX_EXPOSURE = 2.0


def analyze(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("systemd-analyze")
    assert tool, "systemd-analyze is missing: apt-get install systemd (make test-backend does)"
    return subprocess.run(
        [tool, f"--root={root}", *arguments],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A file system root with the system's units, ours, and an executable rapat."""
    shutil.copytree(SYSTEM_UNITS, tmp_path / "usr/lib/systemd/system", symlinks=True)
    units = tmp_path / "etc/systemd/system"
    units.mkdir(parents=True)
    for unit in UNITS.glob("*.service"):
        shutil.copy(unit, units)
    executable = tmp_path / RAPAT
    executable.parent.mkdir(parents=True)
    executable.write_text("#!/bin/sh\n")
    executable.chmod(0o755)
    return tmp_path


def unit_names() -> list[str]:
    return sorted(unit.name for unit in UNITS.glob("*.service"))


def test_the_units_are_the_server_and_the_worker() -> None:
    assert unit_names() == ["rapat-worker.service", "rapat.service"]


@pytest.mark.parametrize("unit", unit_names())
def test_systemd_verifies_the_unit_without_a_remark(root: Path, unit: str) -> None:
    verified = analyze(root, "verify", "--man=no", unit)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout + verified.stderr == ""  # unknown settings are only remarks


def test_verify_catches_what_would_break_a_unit(root: Path) -> None:
    """The check can fail: a misspelt setting is remarked on, a missing binary refused."""
    unit = root / "etc/systemd/system/rapat.service"
    unit.write_text(unit.read_text().replace("NoNewPrivileges=", "NoNewPrivilege="))
    assert "Unknown key" in analyze(root, "verify", "--man=no", "rapat.service").stderr
    (root / RAPAT).unlink()
    missing = analyze(root, "verify", "--man=no", "rapat-worker.service")
    assert missing.returncode != 0
    assert "not executable" in missing.stderr


@pytest.mark.parametrize("unit", unit_names())
def test_the_unit_is_hardened(root: Path, unit: str) -> None:
    report = analyze(root, "security", "--offline=yes", unit)
    assert report.returncode == 0, report.stderr
    exposure = re.search(r"Overall exposure level for \S+: ([\d.]+)", report.stdout)
    assert exposure, report.stdout[-500:]
    assert float(exposure.group(1)) <= MAX_EXPOSURE
    text = (UNITS / unit).read_text()
    for setting in (
        "User=rapat",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/rapat",
        "CapabilityBoundingSet=\n",
        "SystemCallFilter=@system-service",
        "Restart=on-failure",
        "EnvironmentFile=/etc/rapat/rapat.env",
    ):
        assert setting in text


def test_the_example_environment_file_is_a_production_setup(tmp_path: Path) -> None:
    """Every line names a real setting, and filled in it passes `rapat check-config`."""
    values = dict(
        line.split("=", 1)
        for line in (UNITS / "rapat.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    known = {f"RAPAT_{name.upper()}" for name in Settings.model_fields}
    assert set(values) <= known
    settings = {
        name.removeprefix("RAPAT_").lower(): value.strip('"') for name, value in values.items()
    }
    settings |= {
        "secret_key": "4f1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a",
        # this machine's stand-ins for /var/lib/rapat and the installed web app
        "data_dir": str(tmp_path),
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'rapat.db'}",
        "frontend_dir": str(tmp_path),
    }
    (tmp_path / "index.html").write_text("<!doctype html>")
    loaded = Settings(_env_file=None, **settings)  # type: ignore[arg-type]
    assert loaded.env == "production"
    assert loaded.mail_from == "Rapat <meet@example.org>"
    findings = check_settings(loaded)
    assert [f for f in findings if f.severity == "error"] == []
    assert [f.variable for f in findings] == ["RAPAT_TURN_URLS"]  # commented out: no TURN
