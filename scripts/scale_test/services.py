"""The processes and servers ``make scale-test`` starts, and stops again.

Everything is started on free ports chosen at run time, in a private temporary
folder; ``Stack.close`` stops what was started (by process group id, never by name)
and drops the PostgreSQL database it created, whatever happened before.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf"
TEMPLATE_NAMES = ("UPSTREAM_SERVERS", "LISTEN", "SERVER_NAME", "STATIC_ROOT")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def ensure_nginx() -> str:
    """nginx from Debian (``nginx-light``), installed when missing."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # noqa: S607
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "nginx-light"],  # noqa: S607
        check=True,
        env=env,
    )
    return shutil.which("nginx") or "/usr/sbin/nginx"


class Stack:
    """Owns every process and resource of one run."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.cleanups: list = []

    # --- processes -------------------------------------------------------------

    def start(self, name: str, command: list[str], env: dict[str, str]) -> int:
        """Start ``command`` in its own process group; returns its pid."""
        log = self.workdir / f"{name}.log"
        self.logs[name] = log
        process = subprocess.Popen(  # noqa: S603 - our own fixed commands
            command,
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process.pid

    def kill(self, name: str) -> int:
        """SIGKILL a process and everything in its group (gunicorn's or a Celery
        worker's children), as a crashed machine would; returns the pid."""
        process = self.processes[name]
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
        return process.pid

    def alive(self, name: str) -> bool:
        return self.processes[name].poll() is None

    def close(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception as err:  # noqa: BLE001 - report and go on cleaning
                sys.stderr.write(f"scale-test: cleanup failed: {err}\n")

    def tail(self, name: str, lines: int = 30) -> str:
        log = self.logs.get(name)
        if log is None or not log.exists():
            return ""
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    # --- services --------------------------------------------------------------

    def certificate(self) -> tuple[Path, Path]:
        """A self-signed certificate for 127.0.0.1: nginx terminates TLS, as in
        production, so secure cookies, HSTS and the HTTPS redirect are all live."""
        cert, key = self.workdir / "tls.crt", self.workdir / "tls.key"
        subprocess.run(
            [  # noqa: S607
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],  # fmt: skip
            check=True,
            capture_output=True,
        )
        return cert, key

    def redis(self) -> str:
        """A private redis-server with AOF on, as production runs it."""
        port = free_port()
        data = self.workdir / "redis"
        data.mkdir()
        self.start(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--dir",
                str(data),
            ],  # fmt: skip
            dict(os.environ),
        )

        def ping():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(ping, timeout=20, what="redis-server")
        return f"redis://127.0.0.1:{port}/0"

    def s3(self) -> tuple[str, str]:
        """moto's S3 server on a free port with an empty private bucket."""
        import boto3
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
        server.start()
        self.cleanups.append(server.stop)
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        bucket = f"scale-{uuid.uuid4().hex[:8]}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="scale",
            aws_secret_access_key="scale",  # noqa: S106 - moto accepts any
        ).create_bucket(Bucket=bucket)
        return endpoint, bucket

    def database(self, server_url: str) -> str:
        """A uniquely named database on the machine's PostgreSQL, dropped at close."""
        import psycopg

        name = f"storefront_scale_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.cleanups.append(drop)
        base = server_url.rsplit("/", 1)[0]
        return f"{base}/{name}"

    def nginx(
        self, *, upstreams: list[int], cert: Path, key: Path, static: Path, port: int
    ) -> None:
        """nginx with the repo's ``deploy/nginx.conf`` in front of ``upstreams``."""
        executable = ensure_nginx()
        values = {
            "UPSTREAM_SERVERS": " ".join(f"server 127.0.0.1:{p};" for p in upstreams),
            "LISTEN": f"127.0.0.1:{port} ssl",
            "SERVER_NAME": "127.0.0.1",
            "STATIC_ROOT": str(static),
        }
        site = NGINX_TEMPLATE.read_text()
        for name in TEMPLATE_NAMES:  # envsubst with an explicit list, in Python
            site = site.replace("${" + name + "}", values[name])
        (self.workdir / "storefront.conf").write_text(site)
        tmp = self.workdir / "nginx"
        tmp.mkdir()
        # As root, nginx's workers would drop to "nobody", who cannot read this
        # private folder; they stay with the user who runs the test.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.workdir / "nginx.conf").write_text(
            f"""{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {self.workdir}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {self.workdir}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    include {self.workdir}/storefront.conf;
}}
"""
        )
        self.start(
            "nginx",
            [
                executable,
                "-p",
                str(tmp),
                "-e",
                str(self.workdir / "nginx-error.log"),
                "-c",
                str(self.workdir / "nginx.conf"),
                "-g",
                "daemon off;",
            ],  # fmt: skip
            dict(os.environ),
        )


def https_ready(url: str, cert: Path, timeout: float) -> None:
    def ready():
        try:
            context = ssl.create_default_context(cafile=str(cert))
            return httpx.get(url, verify=context, timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(ready, timeout=timeout, what=url, interval=0.5)
