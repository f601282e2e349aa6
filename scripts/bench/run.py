"""``make bench``: the storefront under gunicorn on PostgreSQL and Redis, driven by wrk.

What it does, in order:

1. starts a private Redis on a free port (or uses ``BENCH_REDIS_URL``);
2. creates the PostgreSQL database ``BENCH_DATABASE_URL`` if missing, migrates it,
   collects static files, and bulk-seeds it to ``BENCH_PRODUCTS`` live products
   (``catalog.bulk_seed``: batched inserts into Wagtail's page tree, seconds not
   hours); a database that already holds that many is reused as it is;
3. starts gunicorn with the repo's ``gunicorn.conf.py`` and ``bench_settings``
   (DEBUG off, hashed static files, a floor view at ``/bench-floor/``);
4. runs wrk (``BENCH_CONNECTIONS`` connections, ``BENCH_DURATION`` seconds each)
   against the floor and every page in ``ROWS``, then POSTs signed Dodo webhook
   deliveries (``webhook.lua``), each for its own pending order;
5. measures the floor before every row and after the last (the machine's speed
   may drift during a run of minutes) and prints one table: requests/s, the
   ratio to the mean of the floors just before and after that row, p50, p95,
   p99 and errors.

Numbers depend on the machine and on what else runs on it; compare rows of the
same run (the floor column), not runs on different machines. Nothing here is
asserted by the test suite.

Knobs (environment): BENCH_PRODUCTS (10000), BENCH_DURATION (5), BENCH_CONNECTIONS
(32), BENCH_THREADS (2, wrk threads), BENCH_DATABASE_URL
(postgres://postgres@127.0.0.1:5432/storefront_bench), BENCH_REDIS_URL (unset: a
private redis-server), BENCH_PORT (gunicorn's; unset: a free one), BENCH_ONLY
(comma-separated row names, e.g. "search,sitemap"), BENCH_SEARCH (the search
words, "python"), BENCH_WEBHOOK_EVENTS (3000), WEB_CONCURRENCY / GUNICORN_THREADS
(gunicorn.conf.py's own).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from data import (  # noqa: E402
    DATABASE_URL,
    PRODUCTS,
    ensure_database,
    free_port,
    prepare,
    start_redis,
    webhook_granted,
)

DURATION = int(os.environ.get("BENCH_DURATION", "5"))
FLOOR_DURATION = max(3, DURATION // 2)
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WRK_THREADS = int(os.environ.get("BENCH_THREADS", "2"))
SEARCH = os.environ.get("BENCH_SEARCH", "python")
ONLY = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
WRK = shutil.which("wrk") or "/usr/bin/wrk"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def wait_for(port: int, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            get(port, path)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"nothing answered on 127.0.0.1:{port}{path}")


def settle(port: int, timeout: float = 60) -> None:
    """Wait until the server has worked off what wrk left in flight.

    wrk stops sending when its time is up, but requests already queued (an
    uncached search takes a second or more under load) keep the workers busy and
    would count against the next row; two quick floor answers in a row mean idle.
    """
    deadline = time.monotonic() + timeout
    quick = 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.perf_counter()
        get(port, "/bench-floor/")
        quick = quick + 1 if time.perf_counter() - started < 0.05 else 0
        time.sleep(0.1)


def get(port: int, path: str, headers: dict | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        host = {"Host": f"127.0.0.1:{port}"}
        conn.request("GET", path, headers={**host, **(headers or {})})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


# --- Load ---------------------------------------------------------------------------


def wrk(
    port: int,
    path: str,
    *,
    headers=(),
    script: str | None = None,
    env=None,
    duration: int = DURATION,
) -> dict:
    command = [
        WRK,
        f"-t{WRK_THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-H",
        # The address SITE_URL names (gunicorn's): no mismatch warning per request.
        f"Host: 127.0.0.1:{port}",
    ]
    for header in headers:
        command += ["-H", header]
    # p95.lua prints the 95th percentile (wrk's own table stops at 90 and 99).
    command += ["-s", script or str(HERE / "p95.lua")]
    command.append(f"http://127.0.0.1:{port}{path}")
    env = {
        **os.environ,
        **(env or {}),
        "BENCH_WRK_THREADS": str(WRK_THREADS),
        "BENCH_LUA_DIR": str(HERE),
        "BENCH_SEARCH_PATH": f"/products/?q={SEARCH}",
    }
    run = subprocess.run(command, capture_output=True, text=True, env=env)
    if run.returncode:
        raise SystemExit(f"wrk failed on {path}: {run.stderr or run.stdout}")
    output = run.stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.M)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    p95 = re.search(r"^p95_us (\d+)$", output, re.M)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": latency("50"),
        "p95": int(p95.group(1)) / 1000 if p95 else float("nan"),
        "p99": latency("99"),
        "errors": errors,
    }


def search_words() -> list[str]:
    """Two-word searches in the seeded catalogue's own vocabulary
    (``catalog.bulk_seed``): each matches some products, none matches most."""
    from catalog.bulk_seed import ADJECTIVES, NOUNS

    return [f"{adjective} {noun}" for noun in NOUNS for adjective in ADJECTIVES]


def rows(data: dict) -> list[tuple[str, str, str, list[str], str | None]]:
    """(name, label, path, headers, wrk script) for every measured line."""
    cookie = [f"Cookie: {data['cookie']}"]
    return [
        ("floor", "floor (trivial view)", "/bench-floor/", [], None),
        ("home", "`/`", "/", [], None),
        ("listing", "`/products/`", "/products/", [], None),
        ("search", f"`/products/?q={SEARCH}`", f"/products/?q={SEARCH}", [], None),
        (
            "search-miss",
            f"`/products/?q={SEARCH}` never cached",
            f"/products/?q={SEARCH}",
            [],
            str(HERE / "search_miss.lua"),
        ),
        (
            "search-new",
            "`/products/?q=…` new words each time",
            "/products/",
            [],
            str(HERE / "search_miss.lua"),
        ),
        (
            "category",
            f"`/products/?category={data['category']}`",
            f"/products/?category={data['category']}",
            [],
            None,
        ),
        ("detail", "product detail", data["detail"], [], None),
        ("sitemap", "`/sitemap.xml`", "/sitemap.xml", [], None),
        ("shortlink", "short link `/s/bench/`", "/s/bench/", [], None),
        ("library", "library (logged in)", "/account/products/", cookie, None),
        ("orders", "order history (logged in)", "/account/orders/", cookie, None),
        ("support", "support requests (logged in)", "/account/support/", cookie, None),
        ("owned", "product detail (its owner)", data["owned_detail"], cookie, None),
        (
            "webhook",
            "POST `/webhooks/dodo/`",
            "/webhooks/dodo/",
            [],
            str(HERE / "webhook.lua"),
        ),
    ]


def main() -> None:
    if not Path(WRK).exists():
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    redis_url, redis_process = start_redis()
    gunicorn = None
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=redis_url,
    )
    try:
        ensure_database()
        data = prepare()
        if data["recreate"]:
            print(f"database holds more than {PRODUCTS} products: recreating it")
            from django.db import connections

            connections.close_all()
            ensure_database(recreate=True)
            data = prepare()
        from django.db import connections

        connections.close_all()
        port = int(os.environ.get("BENCH_PORT") or free_port())
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
            + ["site_config.wsgi"],
            cwd=ROOT,
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                # The address wrk uses: no "SITE_URL mismatch" warning per request.
                "SITE_URL": f"http://127.0.0.1:{port}",
                "GUNICORN_ACCESS_LOG": "/dev/null",
                "GUNICORN_LOG_LEVEL": "warning",
            },
        )
        wait_for(port, "/bench-floor/")
        results = {}
        # The floor before every row and after the last: each row is divided by
        # the mean of the floors measured just before and just after it. This
        # machine's speed drifts by a third within minutes (other tenants of the
        # host), so a floor measured once at the start would misstate later rows.
        floors = [wrk(port, "/bench-floor/", duration=FLOOR_DURATION)]
        for name, label, path, headers, script in rows(data):
            if name == "floor" or (ONLY and name not in ONLY):
                continue
            if not script:
                header_dict = dict(h.split(": ", 1) for h in headers)
                for _ in range(3):  # warm: first renditions, caches, connections
                    status = get(port, path, header_dict)
                if status >= 400:
                    raise SystemExit(f"{path} answered {status}")
            result = wrk(
                port,
                path,
                headers=headers,
                script=script,
                env={
                    "BENCH_WEBHOOK_FILE": data["webhook_file"],
                    "BENCH_HOST": f"127.0.0.1:{port}",
                    # search_miss.lua: new words on every request.
                    "BENCH_SEARCH_WORDS": (
                        "|".join(search_words()) if name == "search-new" else ""
                    ),
                },
            )
            settle(port)
            floors.append(wrk(port, "/bench-floor/", duration=FLOOR_DURATION))
            result["floor"] = (floors[-2]["rps"] + floors[-1]["rps"]) / 2
            results[name] = (label, result)
            print(f"  {label}: {result['rps']:.0f} req/s", file=sys.stderr)
        results = {"floor": ("floor (trivial view)", floor_summary(floors))} | results
        if "webhook" in results:
            granted = webhook_granted(data["webhook_file"])
            results["webhook"][1]["note"] = f"{granted} orders granted"
        print_table(results)
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=60)
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)


def floor_summary(floors: list[dict]) -> dict:
    """The floor's line: the mean of its measurements, and their range."""
    rates = [floor["rps"] for floor in floors]
    mean = sum(rates) / len(rates)
    summary = {
        key: sum(floor[key] for floor in floors) / len(floors)
        for key in ("p50", "p95", "p99")
    }
    return summary | {
        "rps": mean,
        "floor": mean,
        "errors": sum(floor["errors"] for floor in floors),
        "note": f"mean of {len(rates)}, {min(rates):.0f} to {max(rates):.0f}",
    }


def print_table(results: dict) -> None:
    print()
    workers = os.environ.get("WEB_CONCURRENCY", "default")
    print(
        f"{PRODUCTS} products, wrk {CONNECTIONS} connections x {DURATION}s, "
        f"gunicorn.conf.py (WEB_CONCURRENCY={workers}); each row x the mean of the "
        f"floor measured just before and just after it ({FLOOR_DURATION}s each)"
    )
    print()
    print("| page | req/s | × floor | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, result in results.values():
        note = f" ({result['note']})" if result.get("note") else ""
        ratio = result["rps"] / result["floor"] if result["floor"] else float("nan")
        print(
            f"| {label}{note} | {result['rps']:.0f} | {ratio:.3f} | "
            f"{result['p50']:.1f} | {result['p95']:.1f} | {result['p99']:.1f} | "
            f"{result['errors']} |"
        )


if __name__ == "__main__":
    main()
