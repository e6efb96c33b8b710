"""The growth of this process's peak resident memory over a block of code (Linux).

Writing 5 to /proc/self/clear_refs resets the peak (VmHWM) to the current resident size,
so the peak read afterwards belongs to the block alone, whatever ran before it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rapat.services.memory_release import release_free_memory

MIB = 1024 * 1024
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class PeakGrowth:
    bytes: int = 0

    @property
    def mib(self) -> float:
        return self.bytes / MIB


def _status_kib(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB$", _STATUS.read_text(), re.M)
    assert found is not None, f"no {field} in {_STATUS}"
    return int(found.group(1))


@contextmanager
def peak_growth() -> Iterator[PeakGrowth]:
    """`with peak_growth() as growth: ...`, then `growth.bytes`: how far the peak resident
    size rose above the resident size at the start."""
    gc.collect()
    release_free_memory()  # what earlier tests freed must not hide this block's growth
    _CLEAR_REFS.write_text("5")
    start = _status_kib("VmRSS")
    growth = PeakGrowth()
    yield growth
    growth.bytes = (_status_kib("VmHWM") - start) * 1024
