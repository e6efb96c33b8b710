"""The alert rules and the example Prometheus configuration, checked and unit-tested by
promtool (Debian package `prometheus`), and their metrics against a real scrape."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.deploy.observability import (
    ALERTS,
    BLACKBOX,
    PROMETHEUS_OWN,
    alert_expressions,
    exercised_scrape,
    metric_names,
)
from tests.integration.app_fixtures import AppMaker

pytestmark = pytest.mark.deploy

ISSUE_ALERTS = {  # what issue 24 asks to be alerted on
    "RapatProcessDown",
    "RapatMediaLoss",
    "RapatJoinsFailing",
    "RapatJobsFailing",
    "RapatJobDeadLettered",
    "RapatDependencyDown",
    "RapatCertificateExpiresSoon",
    "RapatRecordingDiskFilling",
}


def promtool(*arguments: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    assert tool, "promtool is missing: apt-get install prometheus (make test-backend does)"
    return subprocess.run(
        [tool, *arguments],
        cwd=ALERTS.parent,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_rules_and_the_example_configuration_are_valid() -> None:
    for arguments in (("check", "rules", "alerts.yml"), ("check", "config", "prometheus.yml")):
        result = promtool(*arguments)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_alerts_unit_tests_pass() -> None:
    result = promtool("test", "rules", "alerts_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_every_alert_has_a_unit_test_and_a_severity() -> None:
    tests = (ALERTS.parent / "alerts_test.yml").read_text()
    for alert in alert_expressions():
        assert f"alertname: {alert}\n" in tests, alert
    assert set(alert_expressions()) >= ISSUE_ALERTS


def test_every_alert_reads_metrics_rapat_or_the_blackbox_exporter_exports(
    make_client: AppMaker, sqlite_url: str
) -> None:
    exported = exercised_scrape(make_client(sqlite_url)) | PROMETHEUS_OWN | BLACKBOX
    for alert, expr in alert_expressions().items():
        names = metric_names(expr)
        assert names, alert
        assert names - exported == set(), alert
