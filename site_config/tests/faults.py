"""Real faults for tests: a server that never answers, a Redis we may kill.

Each helper runs its own process or socket on a free port and stops only that
(by PID or by closing its socket); the machine's shared services are never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time


class HungServer:
    """Accepts TCP connections and never answers (a hung upstream).

    ``connections`` counts the connections made; ``held`` has, per connection, how
    long the client kept it open before giving up (seconds).
    """

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.held: list[float] = []
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.append(conn)
            threading.Thread(target=self._hold, args=(conn,), daemon=True).start()

    def _hold(self, conn: socket.socket) -> None:
        started = time.monotonic()
        try:
            while conn.recv(65536):  # read the request, answer nothing
                pass
        except OSError:
            pass
        with self._lock:
            self.held.append(time.monotonic() - started)

    def wait_for_hangups(self, count: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.held) < count and time.monotonic() < deadline:
            time.sleep(0.02)

    def close(self) -> None:
        self._closed = True
        self._sock.close()
        with self._lock:
            for conn in self._open:
                try:
                    conn.close()
                except OSError:
                    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own on a free port; ``stop``/``pause`` touch only it."""

    def __init__(self, *extra_args: str) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._binary = binary
        self._extra_args = list(extra_args)
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                self._binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                *self._extra_args,
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def pause(self) -> None:
        """Hung Redis: the process keeps its socket open but answers nothing."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.05):
    """Poll ``predicate`` until it is truthy or ``timeout`` passes; its last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


class TaskOutcomes:
    """What tasks returned in this process's worker (no result backend is kept).

    ``results[task_name]`` lists the return values of successful runs, in order.
    """

    def __init__(self) -> None:
        from celery.signals import task_success

        self.results: dict[str, list] = {}
        self._signal = task_success
        task_success.connect(self._record, weak=False)

    def _record(self, sender=None, result=None, **kwargs) -> None:
        self.results.setdefault(sender.name, []).append(result)

    def close(self) -> None:
        self._signal.disconnect(self._record)


class CeleryOnBroker:
    """Point the project's Celery app at ``url`` (a private Redis), tasks not inline.

    ``worker()`` starts a real worker (solo pool, a thread of this process) on all
    queues; ``restore()`` puts the app back as it was.
    """

    def __init__(self, app, url: str) -> None:
        self.app = app
        self.url = url
        conf = app.conf
        self._before = (conf.broker_url, conf.broker_transport, conf.task_always_eager)
        conf.broker_url = url
        # The transport production uses on Redis (settings), also when this run's
        # settings have no Redis.
        conf.broker_transport = "site_config.broker:Transport"
        conf.task_always_eager = False
        self._reset_pools()

    def _reset_pools(self) -> None:
        self.app._pool = None
        amqp = self.app.__dict__.get("amqp")
        if amqp is not None:
            amqp._producer_pool = None

    def worker(self, **options):
        from celery.contrib.testing.worker import start_worker
        from django.conf import settings

        options = {
            "pool": "solo",
            "perform_ping_check": False,
            "loglevel": "WARNING",
            "queues": settings.QUEUE_NAMES,
            **options,
        }
        return start_worker(self.app, **options)

    def queued(self) -> int:
        """Messages waiting in the project's queues of this broker."""
        import redis
        from django.conf import settings

        client = redis.Redis.from_url(self.url)
        try:
            return sum(client.llen(queue) for queue in settings.QUEUE_NAMES)
        finally:
            client.close()

    def restore(self) -> None:
        conf = self.app.conf
        conf.broker_url, conf.broker_transport, conf.task_always_eager = self._before
        self._reset_pools()


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a free port that keeps what it receives.

    ``messages`` has one ``(recipients, data)`` per accepted message.
    """

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[tuple[list[str], bytes]] = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def close(self) -> None:
        self._controller.stop()


def timed(call):
    """``(result, seconds)`` of ``call()``."""
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def assert_fast(seconds: float, baseline: float, what: str) -> None:
    """A request with a fault took no longer than a second, or than the same kind
    of request without it (measured just before on this machine) plus half a
    second: a busy CI box may take over a second for either."""
    limit = max(1.0, baseline + 0.5)
    assert seconds < limit, (
        f"{what} took {seconds:.2f} s (without the fault {baseline:.2f} s)"
    )


def relay_and_work(chaos_celery, until, settle: float = 1.0, timeout: float = 30.0):
    """The broker is back: run ``manage.py outbox_relay``, then a worker until
    ``until()`` holds (and ``settle`` s more, so a duplicate would show)."""
    from django.core.management import call_command

    call_command("outbox_relay", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with chaos_celery.worker():
        reached = wait_for(until, timeout=timeout)
        time.sleep(settle)
    return reached


class SmallDisk:
    """A real filesystem of a few kilobytes (tmpfs) mounted over ``directory``.

    ``full`` fills up after ``size`` bytes (``ENOSPC``); ``read_only`` refuses every
    write (``EROFS``). Mounting needs root (CAP_SYS_ADMIN), which the test machines
    and CI have; ``unmount`` gives the directory back as it was.
    """

    def __init__(self, directory, *, size: str = "64k", read_only: bool = False):
        self.directory = str(directory)
        os.makedirs(self.directory, exist_ok=True)
        options = f"size={size},mode=0777" + (",ro" if read_only else "")
        result = subprocess.run(  # noqa: S603
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", self.directory],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PermissionError(result.stderr.strip() or "mount refused")
        self.mounted = True

    def files(self) -> list[str]:
        """Every file under the mount (hidden ones too), relative to it."""
        found = []
        for root, _dirs, names in os.walk(self.directory):
            for name in names:
                found.append(os.path.relpath(os.path.join(root, name), self.directory))
        return sorted(found)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", self.directory], check=True)  # noqa: S603,S607
            self.mounted = False


def seconds_left(key: str) -> float:
    """How long ``key`` stays in the default cache (Redis or the test's locmem)."""
    from django.core.cache import cache

    if hasattr(cache, "ttl"):  # django-redis
        return cache.ttl(key)
    return cache._expire_info[cache.make_and_validate_key(key)] - time.time()
