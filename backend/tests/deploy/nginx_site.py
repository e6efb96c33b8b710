"""Real nginx (Debian package `nginx`) running the shipped site deploy/nginx/rapat.conf on
loopback: the file with only its ports, paths and process count changed, inside a main
configuration whose files all live in a scratch directory, and a self-signed certificate
for 127.0.0.1.

Also a command for the browser test through nginx (scripts/e2e-nginx-server.sh):
`python -m tests.deploy.nginx_site SCRATCH HTTPS_PORT HTTP_PORT SHARED_PORT` writes the
certificate and configuration into SCRATCH and prints the nginx command line to run."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.waiting import wait_until_sync

SITE = Path(__file__).resolve().parents[3] / "deploy" / "nginx" / "rapat.conf"
# The shipped site's own values, which a test replaces.
SHARED_PORT = 8080
HOST = "meet.example.com"


@dataclass(frozen=True)
class Ports:
    https: int
    http: int


def node_ports(site: str) -> dict[int, int]:
    """The site's routes from a process's signaling path to its port: index -> port."""
    block = re.search(r"map \$uri \$rapat_node \{(.*?)\}", site, re.S)
    assert block, "no map $uri $rapat_node in the site"
    upstreams = dict(re.findall(r"^upstream (\w+) \{ server 127\.0\.0\.1:(\d+); \}$", site, re.M))
    routes = re.findall(r"^\s*/node/(\d+)/ws (\w+);$", block[1], re.M)
    return {int(index): int(upstreams[name]) for index, name in routes}


def _replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) == count, f"the site should hold {old!r} {count} time(s)"
    return text.replace(old, new)


def site_for_test(site: str, ports: Ports, shared_port: int, scratch: Path) -> str:
    """The site on loopback ports, proxying to `shared_port` and the two ports after it,
    with its certificate and log in `scratch`. IPv6 listeners are dropped (loopback IPv6
    may be missing); everything else is as shipped."""
    site = _replace(site, "listen 80;", f"listen 127.0.0.1:{ports.http};")
    site = _replace(site, "listen 443 ssl", f"listen 127.0.0.1:{ports.https} ssl")
    site = _replace(site, "    listen [::]:80;\n", "")
    site = _replace(site, "    listen [::]:443 ssl http2;\n", "")
    site = _replace(site, f"server 127.0.0.1:{SHARED_PORT};", f"server 127.0.0.1:{shared_port};")
    for index, port in node_ports(site).items():
        assert port == SHARED_PORT + index, (index, port)
        own = shared_port + index
        site = _replace(site, f"server 127.0.0.1:{port};", f"server 127.0.0.1:{own};")
    live = f"/etc/letsencrypt/live/{HOST}"
    site = _replace(site, f"{live}/fullchain.pem", str(scratch / "cert.pem"))
    site = _replace(site, f"{live}/privkey.pem", str(scratch / "key.pem"))
    site = _replace(site, "/var/log/nginx/rapat.access.log", str(scratch / "access.log"), 2)
    return _replace(site, "/var/www/letsencrypt", str(scratch / "acme"), 2)


def self_signed(scratch: Path) -> ssl.SSLContext:
    """cert.pem and key.pem for 127.0.0.1 in `scratch`; a client context trusting them."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    (scratch / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (scratch / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ssl.create_default_context(cafile=scratch / "cert.pem")


def main_config(scratch: Path) -> str:
    """nginx.conf around the site: every file nginx writes is in `scratch`. As root, the
    workers stay root so that they can reach the scratch directory (pytest's are 0700)."""
    temp = " ".join(
        f"{kind}_temp_path {scratch / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {scratch / 'nginx.pid'};\n"
        + f"error_log {scratch / 'error.log'} warn;\n"
        + "events { worker_connections 256; }\n"
        + f"http {{ {temp} include {scratch / 'rapat.conf'}; }}\n"
    )


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


def write_nginx(scratch: Path, ports: Ports, shared_port: int) -> list[str]:
    """The site for `shared_port` and its main configuration written into `scratch` and
    checked with `nginx -t`; the command that runs it (add `-g "daemon off;"` to keep it
    in the foreground)."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "nginx is missing: apt-get install nginx (make test does)"
    (scratch / "acme").mkdir(exist_ok=True)
    site = site_for_test(SITE.read_text(), ports, shared_port, scratch)
    (scratch / "rapat.conf").write_text(site)
    (scratch / "nginx.conf").write_text(main_config(scratch))
    command = [binary, "-p", str(scratch), "-c", str(scratch / "nginx.conf")]
    command += ["-e", str(scratch / "error.log")]
    tested = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert tested.returncode == 0, tested.stderr
    return command


@contextlib.contextmanager
def running_nginx(scratch: Path, ports: Ports, shared_port: int) -> Iterator[Path]:
    """nginx with the site for `shared_port`, until the block ends; yields `scratch`,
    where its logs are."""
    command = write_nginx(scratch, ports, shared_port)
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.DEVNULL)
    try:

        def up() -> bool:
            assert process.poll() is None, (scratch / "error.log").read_text()
            return _listening(ports.https) and _listening(ports.http)

        wait_until_sync(up, 10, "nginx to listen")
        yield scratch
    finally:
        process.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(arguments: list[str]) -> None:
    """SCRATCH HTTPS_PORT HTTP_PORT SHARED_PORT: certificate and configuration written,
    the nginx command printed (one argument a line)."""
    scratch, https, http, shared = Path(arguments[0]), *map(int, arguments[1:4])
    self_signed(scratch)
    print("\n".join(write_nginx(scratch, Ports(https=https, http=http), shared)))


if __name__ == "__main__":
    main(sys.argv[1:])
