"""HTTP overhead of Rapat's middleware stack.

Starts `rapat serve` (SQLite, in-process bus) and, as the reference, a bare Starlette app
answering the same JSON on the same uvicorn settings; drives both with the same
keep-alive load from this process and reports requests/s and latency percentiles, and the
ratio between them. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx
from report import write_section

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"

REFERENCE_APP = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def healthz(request):
    return JSONResponse({"status": "ok", "version": "0.1.0"})

app = Starlette(routes=[Route("/healthz", healthz)])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if (
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code
                == 200
            ):
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not come up")


async def drive(
    port: int, path: str, seconds: float, concurrency: int
) -> tuple[int, list[float]]:
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency
    )
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits
    ) as client:

        async def worker() -> None:
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = await client.get(path)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(latencies), latencies


def summarise(count: int, latencies: list[float], seconds: float) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": count / seconds, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000}


def run(
    label: str,
    command: list[str],
    env: dict[str, str],
    port: int,
    args: argparse.Namespace,
    path: str,
) -> dict[str, float]:
    with subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as server:
        try:
            wait_until_up(port)
            asyncio.run(drive(port, path, 1.0, args.concurrency))  # warm-up
            count, latencies = asyncio.run(
                drive(port, path, args.seconds, args.concurrency)
            )
        finally:
            server.terminate()
            server.wait(timeout=10)
    figures = summarise(count, latencies, args.seconds)
    print(
        f"{label:<28} {figures['rps']:8.0f} req/s  p50 {figures['p50']:6.2f} ms  p99 {figures['p99']:6.2f} ms"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        env = {
            **os.environ,
            "RAPAT_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/bench.db",
            "RAPAT_LOG_LEVEL": "WARNING",
            "RAPAT_FRONTEND_DIR": str(ROOT / "frontend" / "dist"),
        }
        subprocess.run(
            [BIN / "rapat", "migrate", "upgrade"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        Path(workdir, "reference_app.py").write_text(REFERENCE_APP)
        port = free_port()
        rapat = run(
            "rapat /healthz",
            [str(BIN / "rapat"), "serve", "--port", str(port)],
            env,
            port,
            args,
            "/healthz",
        )
        port = free_port()
        spa = run(
            "rapat / (index.html)",
            [str(BIN / "rapat"), "serve", "--port", str(port)],
            env,
            port,
            args,
            "/",
        )
        port = free_port()
        reference = run(
            "bare Starlette /healthz",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                workdir,
                "reference_app:app",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
                "--loop",
                "uvloop",
                "--http",
                "httptools",
            ],
            env,
            port,
            args,
            "/healthz",
        )
    ratio = rapat["rps"] / reference["rps"]
    print(f"rapat / reference throughput: {ratio:.2f}")
    rows = "\n".join(
        f"| {label} | {fig['rps']:.0f} | {fig['p50']:.2f} | {fig['p99']:.2f} |"
        for label, fig in [
            ("rapat `GET /healthz`", rapat),
            ("rapat `GET /` (index.html)", spa),
            ("reference: bare Starlette `GET /healthz`", reference),
        ]
    )
    write_section(
        "HTTP overhead of the middleware stack",
        f"{args.concurrency} keep-alive clients for {args.seconds:g} s each, load generated by "
        "one Python process on the same machine (it shares the 2 cores, so absolute figures "
        "are a floor).\n\n"
        "| target | req/s | p50 ms | p99 ms |\n|---|---|---|---|\n"
        f"{rows}\n\n"
        f"Rapat serves **{ratio:.2f}×** the reference's throughput on the same route: the cost "
        "of request ids, access logs, metrics, security headers, body limit and error "
        "handling on every request.\n",
    )


if __name__ == "__main__":
    main()
