"""The process model in the repo: gunicorn, nginx, Procfile, compose, queues."""

from __future__ import annotations

import re
import runpy
import shutil
import subprocess
from pathlib import Path
from string import Template

import pytest
import yaml
from django.conf import settings

from site_config.celery import app

ROOT = Path(settings.BASE_DIR)

ROUTED = {
    "accounts.verification_email_send": "notifications",
    "accounts.password_reset_email_send": "notifications",
    "accounts.registration_existing_email_send": "notifications",
    "support.tasks.support_seller_telegram_task": "notifications",
    "support.tasks.support_seller_email_task": "notifications",
    "support.tasks.support_status_email_task": "notifications",
    "support.tasks.support_customer_message_email_task": "notifications",
    "newsletter.confirmation_send": "notifications",
    "commerce.product_sync_to_dodo": "provider",
    "commerce.product_archive_in_dodo": "provider",
    "commerce.customer_sync_to_dodo": "provider",
    "commerce.reconcile_pending_orders": "provider",
    "commerce.sandbox_deliver_webhook": "provider",
    "maintenance.backup_database": "default",
    "commerce.purge_expired_download_tokens": "default",
    "storefront.ping": "default",
}


def _queue_of(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name, args=(), kwargs={})
    return route["queue"].name


@pytest.mark.parametrize(("task_name", "queue"), sorted(ROUTED.items()))
def test_tasks_are_routed_to_their_queue(task_name, queue):
    app.loader.import_default_modules()
    assert task_name in app.tasks
    assert _queue_of(task_name) == queue


def test_every_registered_task_lands_on_a_consumed_queue():
    app.loader.import_default_modules()
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    assert {_queue_of(name) for name in ours} <= set(settings.QUEUE_NAMES)


def _worker_queues(command: str) -> list[str]:
    match = re.search(r"celery -A site_config worker -Q (\S+)", command)
    return match.group(1).split(",") if match else []


def test_procfile_and_compose_run_one_worker_per_queue():
    procfile = dict(
        line.split(": ", 1)
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line.strip()
    )
    proc_queues = [q for cmd in procfile.values() for q in _worker_queues(cmd)]
    assert sorted(proc_queues) == sorted(settings.QUEUE_NAMES)
    assert "gunicorn -c gunicorn.conf.py" in procfile["web"]
    assert list(procfile).count("beat") == 1

    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    compose_queues = [
        q for svc in services.values() for q in _worker_queues(svc.get("command", ""))
    ]
    assert sorted(compose_queues) == sorted(settings.QUEUE_NAMES)
    assert "--appendonly yes" in services["redis"]["command"]
    for name in ("web", "beat", "postgres", "redis", "minio", "nginx"):
        assert name in services
    web_env = {**compose["x-app"]["environment"], **services["web"]["environment"]}
    assert (
        web_env["TRUSTED_PROXIES"]
        == (services["nginx"]["networks"]["shop"]["ipv4_address"])
    )


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9999")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["workers"] == 3
    assert conf["bind"] == "127.0.0.1:9999"
    assert conf["worker_class"] == "gthread"
    assert conf["graceful_timeout"] < conf["timeout"] <= 30
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0


def _size_bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def _render_nginx(**values: str) -> str:
    return Template((ROOT / "deploy/nginx.conf").read_text()).safe_substitute(values)


def test_nginx_admits_the_largest_upload_the_app_accepts():
    conf = _render_nginx()
    body = _size_bytes(re.search(r"client_max_body_size (\w+);", conf).group(1))
    assert body >= settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    assert body >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    for directive in ("proxy_request_buffering on;", "proxy_buffering on;"):
        assert directive in conf
    # The timeout of the proxy outlives gunicorn's, so gunicorn decides.
    read = int(re.search(r"proxy_read_timeout (\d+)s;", conf).group(1))
    gunicorn = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert read > gunicorn["timeout"]


def test_nginx_config_is_valid(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    site = _render_nginx(
        UPSTREAM_SERVERS="server 127.0.0.1:9801; server 127.0.0.1:9802;",
        LISTEN="127.0.0.1:9800",
        SERVER_NAME="_",
        STATIC_ROOT=str(tmp_path),
    )
    assert not [line for line in site.splitlines() if "${" in line.split("#")[0]]
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path};\n"
        f" proxy_temp_path {tmp_path};\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
