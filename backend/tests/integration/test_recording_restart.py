"""A server killed mid-recording: on the next start the recording is finished from what
the killed process left on disk (a file cut by SIGKILL, its sidecar, a manifest that still
says "recording") and composed like any other."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from rapat.conference.recording_manifest import Manifest, TrackEntry, write_manifest
from tests.integration.accounts_helpers import sign_up
from tests.integration.app_fixtures import AppMaker
from tests.integration.rooms_helpers import create_room
from tests.integration.test_recordings_api import begin, recording, settled

KILL_AT_FRAME = 140  # 4.67 s of VP8 at 30 fps (tests/recording_child.py)


def _record_then_kill(directory: Path, name: str, wall_start: float) -> None:
    """The capture of one camera, in a process killed with SIGKILL mid-way."""
    directory.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with subprocess.Popen(
        [sys.executable, "-m", "tests.recording_child", str(directory), name, str(wall_start)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).parents[2],
    ) as child:
        assert child.stdout is not None
        try:
            for line in child.stdout:
                if int(line) >= KILL_AT_FRAME:
                    break
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL


def test_a_recording_cut_by_a_killed_server_is_composed_after_the_restart(
    make_client: AppMaker, database_url: str, tmp_path: Path
) -> None:
    settings = {"recording_enabled": True, "data_dir": tmp_path / "data"}
    client = make_client(database_url, **settings)
    host = sign_up(client, "host")
    room = create_room(client, host, name="Killed mid-way")
    raw = tmp_path / "data" / "recordings" / room["id"] / "killed"
    recording_id = begin(client, room, host, raw)
    client.__exit__(None, None, None)  # the app goes; its row still says "recording"

    # What the killed process left: the manifest written when the camera was tapped (no
    # segment listed yet), and the camera's file and sidecar, cut by SIGKILL.
    track = f"{host.user['id']}-camera-1"
    started = time.time()
    _record_then_kill(raw, track, started + 0.5)
    manifest = Manifest(recording_id, room["id"], host.user["id"], started)
    manifest.participants[host.user["id"]] = {"display_name": "Ana Lim"}
    manifest.tracks.append(
        TrackEntry(track, host.user["id"], "camera", "video", "vp8", manifest.started_at)
    )
    write_manifest(raw, manifest)

    restarted = make_client(database_url, migrate_first=False, **settings)
    done = settled(restarted, host, recording_id)

    assert done["status"] == "ready", done
    assert done["stop_reason"] == "interrupted"
    assert done["participants"] == [{"user_id": host.user["id"], "display_name": "Ana Lim"}]
    # It stops where the disk says it did: the last file write, capped at the restart's
    # clock (the child sends three times faster than real time, so 4.7 s of media came
    # in under 2 s of wall clock).
    assert 1000 <= done["duration_ms"] <= 5500, done
    assert recording(restarted, host, str(uuid.uuid4())).status_code == 404
