"""``make scale-test``: the shop on several processes, real engines, a crash mid-run.

Starts, on free ports and in a private folder (all stopped again at the end, the
database dropped): a PostgreSQL database on the machine's server, a private Redis
with AOF, moto's S3 server, a fake Telegram Bot API, an SMTP sink, two gunicorn app
servers behind nginx (TLS, the repo's ``deploy/nginx.conf``), two Celery workers on
every queue and Beat, all with production settings plus the Dodo sandbox
(``scale_settings``). Then SCALE_CLIENTS concurrent buyers walk SCALE_JOURNEYS full
journeys over HTTPS (``journeys.py``); once a third of them are done it SIGKILLs one
app server and one worker (whole process groups, by pid) and the run goes on. At
the end it checks the database, the mailbox and the Telegram log, prints a table and
``scale-test: N passed, M failed``, and exits non-zero on any failure.

Knobs: SCALE_JOURNEYS (12), SCALE_CLIENTS (4), SCALE_DATABASE_SERVER
(postgres://postgres@127.0.0.1:5432/postgres), SCALE_KEEP (1: keep the run's folder
and logs).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import httpx  # noqa: E402
from journeys import (  # noqa: E402
    Browser,
    Journey,
    KillWindow,
    Mailbox,
    Observed,
    TelegramLog,
    run,
)
from services import ROOT as REPO  # noqa: E402
from services import Stack, free_port, https_ready, wait_until  # noqa: E402

JOURNEYS = int(os.environ.get("SCALE_JOURNEYS", "12"))
CLIENTS = int(os.environ.get("SCALE_CLIENTS", "4"))
SERVER = os.environ.get(
    "SCALE_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/postgres"
)
KEEP = os.environ.get("SCALE_KEEP") == "1"
# A killed worker's unacknowledged tasks come back after the broker's visibility
# timeout; production's 600 s would outlast the run.
VISIBILITY_TIMEOUT = 30
KILL_WINDOW_SECONDS = 20
QUEUES = "default,notifications,provider"
TELEGRAM_TOKEN = "123456:scale-test-token"  # noqa: S105 - the fake's
TELEGRAM_CHAT = "4242"


def environment(**values: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scale_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO)]),
        "SECRET_KEY": "scale-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DODO_PAYMENTS_API_KEY": "sbx_scale_" + uuid.uuid4().hex,
        "DODO_PAYMENTS_WEBHOOK_KEY": "whsec_c2NhbGUtdGVzdC13ZWJob29rLWtleS0wMTIzNDU=",
        "DODO_PAYMENTS_ENVIRONMENT": "test_mode",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "scale",
        "AWS_SECRET_ACCESS_KEY": "scale",
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_CHAT_ID": TELEGRAM_CHAT,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "LOG_FORMAT": "json",
        "SECURE_HSTS_SECONDS": "60",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        **values,
    }


def manage(env: dict, *args: str) -> None:
    import subprocess

    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def start_processes(stack: Stack, env: dict, cert, key, static, site_port: int):
    apps = []
    for n in (1, 2):
        port = free_port()
        stack.start(
            f"app-{n}",
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
            + ["site_config.wsgi"],
            {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_ACCESS_LOG": str(stack.workdir / f"app-{n}-access.log"),
            },
        )
        apps.append(port)
    for n in (1, 2):
        stack.start(
            f"worker-{n}",
            [sys.executable, "-m", "celery", "-A", "site_config", "worker"]
            + ["-Q", QUEUES, "-n", f"scale{n}@%h", "--concurrency", "2"]
            + ["--loglevel", "INFO"],
            env,
        )
    stack.start(
        "beat",
        [sys.executable, "-m", "celery", "-A", "site_config", "beat"]
        + ["--loglevel", "INFO", "--pidfile", str(stack.workdir / "beat.pid")],
        env,
    )
    stack.nginx(upstreams=apps, cert=cert, key=key, static=static, port=site_port)


def catalogue() -> list[dict]:
    """Live products with a file, and each file's SHA-256 (read from S3)."""
    from catalog.models import ProductPage

    found = []
    for product in ProductPage.objects.live().exclude(file="").order_by("pk"):
        with product.file.open("rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        found.append({"id": product.pk, "url": product.url, "sha256": digest})
    return found


def synced() -> bool:
    from catalog.models import ProductPage

    return not ProductPage.objects.live().filter(dodo_product_id="").exists()


def settled(redis_url: str) -> bool:
    """Nothing left to do: every outbox message published and its task ended (the
    worker marked it done), the queues and unacked set empty."""
    import redis

    from outbox.models import OutboxMessage

    if OutboxMessage.objects.filter(done_at__isnull=True).exists():
        return False
    client = redis.Redis.from_url(redis_url)
    try:
        queued = sum(client.llen(q) for q in QUEUES.split(","))
        return queued == 0 and client.hlen("unacked") == 0
    finally:
        client.close()


def main() -> int:  # noqa: C901, PLR0915 - one story, told in order
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="storefront-scale-"))
    os.chmod(workdir, 0o700)
    stack = Stack(workdir)
    checks: list[tuple[str, bool, str]] = []
    journeys: list[Journey] = []
    try:
        from site_config.tests.faults import SmtpSink
        from support.tests.fake_telegram import FakeBotApi

        cert, key = stack.certificate()
        redis_url = stack.redis()
        s3_endpoint, bucket = stack.s3()
        sink = SmtpSink()
        stack.cleanups.append(sink.close)
        telegram = FakeBotApi()
        telegram.start()
        stack.cleanups.append(telegram.stop)
        database_url = stack.database(SERVER)
        static = REPO / "var" / "scale-static"
        site_port = free_port()  # nginx's, chosen now: SITE_URL must name it
        env = environment(
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            SITE_URL=f"https://127.0.0.1:{site_port}",
            AWS_STORAGE_BUCKET_NAME=bucket,
            AWS_S3_ENDPOINT_URL=s3_endpoint,
            EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
            TELEGRAM_API_BASE_URL=f"{telegram.url}/bot",
            SSL_CERT_FILE=str(cert),
            SCALE_STATIC_ROOT=str(static),
            # nginx passes ``$host`` (no port); on this non-default port a browser's
            # Origin carries one, so the shop's own origin is named as trusted.
            CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{site_port}",
        )
        os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
        print(f"scale-test: setting up in {workdir}", flush=True)
        for command in (
            ("migrate", "--noinput"),
            ("collectstatic", "--noinput"),
            ("seed_demo", "--force"),
        ):
            began = time.monotonic()
            manage(env, *command)
            print(
                f"scale-test: {command[0]} {time.monotonic() - began:.0f} s", flush=True
            )

        import django

        django.setup()
        # moto and the SMTP sink run in this process: their request logs are noise.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        from django.db import connections

        start_processes(stack, env, cert, key, static, site_port)
        base = f"https://127.0.0.1:{site_port}"
        began = time.monotonic()
        https_ready(f"{base}/readyz", cert, timeout=90)
        wait_until(synced, timeout=120, what="products synced to the sandbox")
        print(
            f"scale-test: processes ready, catalogue synced to the sandbox in "
            f"{time.monotonic() - began:.0f} s",
            flush=True,
        )
        products = catalogue()
        connections.close_all()
        setup_seconds = time.monotonic() - started
        print(f"scale-test: stack up in {setup_seconds:.0f} s", flush=True)

        run_id = uuid.uuid4().hex[:6]
        journeys = [
            Journey(
                number=n,
                email=f"buyer-{run_id}-{n}@example.com",
                product_id=products[n % len(products)]["id"],
                product_url=products[n % len(products)]["url"],
                expected_sha256=products[n % len(products)]["sha256"],
                subject=f"[scale {run_id} #{n:03d}]",
            )
            for n in range(JOURNEYS)
        ]
        observed = Observed(window=KillWindow(KILL_WINDOW_SECONDS))
        mail, telegram_log = Mailbox(sink), TelegramLog(telegram)
        s3 = httpx.Client(timeout=30)
        kill = {"at": None, "app": None, "worker": None}
        finished = threading.Semaphore(0)
        kill_after = max(1, JOURNEYS // 3)

        def killer():
            for _ in range(kill_after):
                finished.acquire()
            observed.window.open()
            kill["at"] = time.monotonic()
            kill["app"] = stack.kill("app-1")
            kill["worker"] = stack.kill("worker-1")
            print(
                f"scale-test: killed app server pid {kill['app']} and worker pid "
                f"{kill['worker']} after {kill_after} journeys",
                flush=True,
            )

        def walk(journey: Journey):
            browser = Browser(
                base, str(cert), f"127.0.0.{10 + journey.number}", observed
            )
            try:
                run(journey, browser, mail, telegram_log, lambda u: s3.get(u).content)
            finally:
                browser.close()
                finished.release()

        kill_thread = threading.Thread(target=killer, daemon=True)
        kill_thread.start()
        journeys_started = time.monotonic()
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            list(pool.map(walk, journeys))
        journeys_seconds = time.monotonic() - journeys_started
        kill_thread.join(timeout=30)
        s3.close()

        # Let a killed worker's tasks come back (visibility timeout) before counting,
        # so a duplicate would show.
        if kill["at"] is not None:
            wait_for = kill["at"] + VISIBILITY_TIMEOUT + 15 - time.monotonic()
            if wait_for > 0:
                time.sleep(wait_for)
        is_settled = True
        try:
            # As long as a step may take (journeys.STEP_TIMEOUT): a message the
            # broker lost, or one the killed worker held, comes back within it.
            wait_until(lambda: settled(redis_url), timeout=180, what="queues drained")
        except RuntimeError:
            is_settled = False

        checks = end_state(
            journeys, observed, kill, stack, mail, telegram_log, is_settled
        )
        print_table(journeys, checks, observed, setup_seconds, journeys_seconds)
        explain_failures(journeys, stack, kill, started)
        connections.close_all()
    except Exception as err:  # noqa: BLE001 - reported as a failed check
        checks.append(("the run itself", False, f"{type(err).__name__}: {err}"))
        for name in stack.processes:
            tail = stack.tail(name, 15)
            if tail:
                print(f"--- {name} (last lines) ---\n{tail}", file=sys.stderr)
    finally:
        stack.close()
        if not KEEP:
            shutil.rmtree(workdir, ignore_errors=True)
    passed = sum(ok for _name, ok, _detail in checks)
    failed = len(checks) - passed
    for name, ok, detail in checks:
        if not ok:
            print(f"FAILED: {name}: {detail}")
    minutes, seconds = divmod(int(time.monotonic() - started), 60)
    print(f"scale-test: took {minutes} min {seconds} s in all")
    print(f"scale-test: {passed} passed, {failed} failed")
    return 1 if failed or not checks else 0


def end_state(journeys, observed, kill, stack, mail, telegram, is_settled):
    from commerce.models import Order, OrderStatus, PurchasedProduct

    checks: list[tuple[str, bool, str]] = []
    done = [j for j in journeys if j.done]
    checks.append(
        (
            "every journey completed",
            len(done) == len(journeys),
            f"{len(done)}/{len(journeys)}"
            + "".join(f"; #{j.number}: {j.error}" for j in journeys if not j.done),
        )
    )
    checks.append(
        (
            "an app server and a worker were killed mid-run",
            kill["app"] is not None and kill["worker"] is not None,
            f"app pid {kill['app']}, worker pid {kill['worker']}",
        )
    )
    checks.append(
        (
            "the survivors kept serving",
            stack.alive("app-2") and stack.alive("worker-2") and stack.alive("nginx"),
            "app-2, worker-2, nginx alive at the end",
        )
    )
    emails = [j.email for j in journeys]
    paid = Order.objects.filter(status=OrderStatus.PAID)
    grants = {
        order.pk: PurchasedProduct.objects.filter(order=order).count() for order in paid
    }
    wrong = {pk: n for pk, n in grants.items() if n != 1}
    checks.append(
        (
            "every paid order has exactly one grant",
            not wrong and bool(grants),
            f"{len(grants)} paid orders" + (f"; wrong: {wrong}" if wrong else ""),
        )
    )
    journey_paid = paid.filter(user__email__in=emails).count()
    checks.append(
        (
            "each journey paid exactly one order",
            journey_paid == len(journeys),
            f"{journey_paid} paid orders for {len(journeys)} journeys",
        )
    )
    verification = {e: len(mail.verifications_to(e)) for e in emails}
    again = sum(len(mail.registration_attempts_to(e)) for e in emails)
    checks.append(
        (
            "each verification e-mail delivered exactly once",
            all(n == 1 for n in verification.values()),
            _counts(verification)
            + (
                f"; plus {again} 'someone tried to register' e-mail(s) answering "
                "a registration sent again after the kill"
                if again
                else ""
            ),
        )
    )
    seller = {j.subject: len(mail.containing(j.subject)) for j in journeys}
    checks.append(
        (
            "each support e-mail to the seller delivered exactly once",
            all(n == 1 for n in seller.values()),
            _counts(seller),
        )
    )
    messages = {j.subject: telegram.count(j.subject) for j in journeys}
    checks.append(
        (
            "each Telegram message delivered exactly once",
            all(n == 1 for n in messages.values()),
            _counts(messages),
        )
    )
    checks.append(
        (
            "no 5xx or connection error outside the kill window",
            not observed.errors_outside,
            f"{len(observed.errors_outside)} outside; "
            f"{len(observed.errors_in_window)} inside (retried)"
            + "".join(f"; {e}" for e in observed.errors_outside[:5]),
        )
    )
    checks.append(
        (
            "queues drained, every outbox message done",
            is_settled,
            "every outbox message's task ended; nothing in the queues or unacked set",
        )
    )
    return checks


def explain_failures(journeys, stack, kill, started) -> None:
    """For each failed journey: its buyer's outbox rows (when each was published and
    done) and every log line that names them, so a failure in CI can be read."""
    from outbox.models import OutboxMessage

    failed = [j for j in journeys if not j.done]
    if not failed:
        return
    if kill["at"] is not None:
        print(f"the kill came {kill['at'] - started:.1f} s after the run started")
    logs = {
        name: path.read_text(errors="replace").splitlines()
        for name, path in stack.logs.items()
        if path.exists()
    }
    for journey in failed:
        print(f"--- journey #{journey.number} ({journey.email}): {journey.error}")
        rows = OutboxMessage.objects.filter(
            args__contains=[_user_id(journey.email)]
        ).order_by("created_at")
        for row in rows:
            print(
                f"outbox {row.id} {row.task_name} {row.args}: created "
                f"{row.created_at:%H:%M:%S.%f}, published {_at(row.published_at)}, "
                f"done {_at(row.done_at)}, attempts {row.attempts} {row.last_error}"
            )
            for name, lines in logs.items():
                for line in lines:
                    if str(row.id) in line:
                        print(f"  {name}: {line[:400]}")


def _user_id(email: str) -> int | None:
    from accounts.models import User

    return User.objects.filter(email=email).values_list("pk", flat=True).first()


def _at(moment) -> str:
    return f"{moment:%H:%M:%S.%f}" if moment else "never"


def _counts(counts: dict) -> str:
    values = list(counts.values())
    if values and all(n == 1 for n in values):
        return f"{len(values)} × 1"
    return ", ".join(f"{k}: {n}" for k, n in counts.items() if n != 1)


def print_table(journeys, checks, observed, setup_seconds, journeys_seconds) -> None:
    print()
    print(
        f"{len(journeys)} journeys, {CLIENTS} concurrent clients, "
        f"{observed.requests} HTTP requests; stack up in {setup_seconds:.0f} s, "
        f"journeys took {journeys_seconds:.0f} s; "
        f"{sum(j.refusals for j in journeys)} checkout(s) refused by the store "
        "(Dodo over its deadline) or download link(s) re-minted, then tried again"
    )
    print()
    print("| step | median s | max s |")
    print("|---|---:|---:|")
    for step in ("register", "verify", "buy", "webhook", "download", "support"):
        times = [j.steps[step] for j in journeys if step in j.steps]
        if times:
            print(f"| {step} | {statistics.median(times):.2f} | {max(times):.2f} |")
    print()
    print("| check | result | detail |")
    print("|---|---|---|")
    for name, ok, detail in checks:
        print(f"| {name} | {'pass' if ok else 'FAIL'} | {detail[:300]} |")
    print()


if __name__ == "__main__":
    # A CI timeout or Ctrl-C still runs main()'s cleanup (finally): SIGTERM becomes
    # SystemExit in this thread.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    sys.exit(main())
