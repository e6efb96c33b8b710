"""Free space of the file systems Rapat writes recordings to, read at each scrape (one
statvfs call per directory), so an alert can fire before a recording fails on a full disk."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector


def existing_ancestor(path: Path) -> Path:
    """The directory itself, or the nearest parent that exists (it is created on first
    use, on the file system of that parent)."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


class DiskSpaceCollector(Collector):
    """`directories`: a label (what is kept there) → the directory."""

    def __init__(self, directories: Mapping[str, Path]) -> None:
        self._directories = dict(directories)

    def collect(self) -> Iterator[Metric]:
        free = GaugeMetricFamily(
            "rapat_recording_disk_free_bytes",
            "Bytes an unprivileged process may still write where recordings go.",
            labels=["directory"],
        )
        size = GaugeMetricFamily(
            "rapat_recording_disk_size_bytes",
            "Size of the file system where recordings go.",
            labels=["directory"],
        )
        for label, directory in self._directories.items():
            try:
                stats = os.statvfs(existing_ancestor(directory))
            except OSError:  # unreadable: no sample, rather than a wrong one
                continue
            free.add_metric([label], stats.f_bavail * stats.f_frsize)
            size.add_metric([label], stats.f_blocks * stats.f_frsize)
        yield free
        yield size


def register_disk_metrics(
    registry: CollectorRegistry, directories: Mapping[str, Path]
) -> DiskSpaceCollector:
    collector = DiskSpaceCollector(directories)
    registry.register(collector)
    return collector
