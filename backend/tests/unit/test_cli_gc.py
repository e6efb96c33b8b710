"""Every server process tunes the garbage collector for a long-running server."""

from __future__ import annotations

import gc

from rapat.serving.server import GC_THRESHOLDS, tune_gc


def test_serving_freezes_startup_objects_and_raises_the_thresholds() -> None:
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
