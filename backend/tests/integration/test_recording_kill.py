"""A recording process killed with SIGKILL leaves a file that decodes up to its last
finished cluster (decision 48)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from rapat.recording.sidecar import read_sidecar
from tests.recording_files import decode

KILL_AT_FRAME = 140  # 4.67 s of media, inside the fifth cluster


def test_a_killed_recording_decodes_up_to_its_last_cluster(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with subprocess.Popen(
        [sys.executable, "-m", "tests.recording_child", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).parents[2],
    ) as child:
        assert child.stdout is not None
        handed = -1
        try:
            for line in child.stdout:
                handed = int(line)
                if handed >= KILL_AT_FRAME:
                    break
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert handed == KILL_AT_FRAME

    decoded = decode(tmp_path / "cam-0001.webm")
    info = read_sidecar(tmp_path / "cam-0001.json")
    assert not info.complete  # the process never closed it
    assert decoded.keyframes[0]
    assert decoded.codec == "vp8"
    # Frames are written once whole (the one after the marker may be pending) and a cluster
    # reaches the disk when the next one starts: a cluster is one second, 30 frames.
    assert KILL_AT_FRAME - 32 <= decoded.frames <= KILL_AT_FRAME + 1
    assert decoded.pts == sorted(decoded.pts)
    print(f"killed after frame {handed}: {decoded.frames} frames decode")
