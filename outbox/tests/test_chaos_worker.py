"""Worker faults: a killed pool child, a hung mail server (real worker, own Redis)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from accounts import services as accounts_services
from accounts.tasks import verification_email_send_task
from outbox.models import EffectDelivery
from site_config.tests.faults import wait_for

pytestmark = pytest.mark.chaos


def _runs(log) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_killed_pool_child_task_is_redelivered_once(chaos_celery, tmp_path):
    """SIGKILL the prefork child mid-task: the task comes back and runs once more."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "DATABASE_URL"))
    }
    env.update(
        REDIS_URL=chaos_celery.url, DJANGO_SETTINGS_MODULE="site_config.settings.test"
    )
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "site_config",
            "worker",
            "-P",
            "prefork",
            "-c",
            "1",
            "-Q",
            "chaos",
            "-n",
            f"chaos{os.getpid()}@%h",
            "--include",
            "outbox.tests.chaos_tasks",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],  # fmt: skip
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    log = tmp_path / "runs.log"
    try:
        chaos_celery.app.send_task(
            "chaos.record_run", args=[str(log), 60], queue="chaos"
        )
        assert wait_for(lambda: _runs(log), timeout=60), "the worker never ran it"
        child = int(_runs(log)[0].split()[1])
        assert child != worker.pid
        os.kill(child, signal.SIGKILL)
        assert wait_for(lambda: "done" in _runs(log), timeout=30), _runs(log)
        time.sleep(1)  # nothing else arrives
        runs = _runs(log)
        assert [line.split()[0] for line in runs] == ["run", "run", "done"]
        assert int(runs[1].split()[1]) != child
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.mark.django_db(transaction=True)
def test_hung_mail_server_times_out_and_the_mail_goes_once_it_is_back(
    chaos_celery, hung_server, smtp_sink, settings, monkeypatch
):
    """SMTP accepts and never answers: the task gives up after EMAIL_TIMEOUT, retries,
    and the e-mail arrives once when a mail server answers again."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = hung_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1
    # The backoff starts at 1 s here so the test stays short.
    monkeypatch.setattr(verification_email_send_task, "retry_backoff", 1)
    with chaos_celery.worker():
        user = accounts_services.user_register(
            email="hung@example.com", full_name="Hung", password="a-long-pass-123"
        )
        hung_server.wait_for_hangups(1, timeout=20)
        assert hung_server.held, "the mail task never reached the hung server"
        assert hung_server.held[0] < 3  # EMAIL_TIMEOUT, not forever
        settings.EMAIL_PORT = smtp_sink.port  # the mail server is back
        assert wait_for(lambda: smtp_sink.messages, timeout=30)
        time.sleep(1.5)
    assert [to for to, _ in smtp_sink.messages] == [[user.email]]
    assert (
        EffectDelivery.objects.filter(
            task_name="accounts.verification_email_send"
        ).count()
        == 1
    )
