"""The shop's address: runserver's own unless SITE_URL is set, a wrong one named.

The end-to-end test starts the development server exactly as ``make run`` does
(``make serve``) on a port other than 8000 and buys a product through the
sandbox in Chromium: before, every checkout there failed with "payment provider
not reachable" because links went to ``:8000``.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import Order, OrderStatus, PurchasedProduct
from site_config import base_url

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_absolute_url_reads_site_url_at_call_time(settings):
    settings.SITE_URL = "https://shop.example.com/"
    assert base_url.absolute_url("/s/abc/") == "https://shop.example.com/s/abc/"
    settings.SITE_URL = "http://127.0.0.1:8101"
    assert base_url.absolute_url("/x/") == "http://127.0.0.1:8101/x/"


def test_a_request_under_another_host_names_both_addresses_once(settings, caplog):
    settings.SITE_URL = "http://127.0.0.1:8000"
    base_url._reported_hosts.discard("127.0.0.1:8101")
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8101")
    with caplog.at_level(logging.WARNING, logger="site_config.base_url"):
        assert base_url.report_mismatch(request) is True
        assert base_url.report_mismatch(request) is True
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert "http://127.0.0.1:8000" in warnings[0]
    assert "127.0.0.1:8101" in warnings[0]


def test_a_request_on_site_url_logs_nothing(settings, caplog):
    settings.SITE_URL = "https://shop.example.com"
    request = RequestFactory().get("/", HTTP_HOST="shop.example.com")
    with caplog.at_level(logging.WARNING, logger="site_config.base_url"):
        assert base_url.report_mismatch(request) is False
    assert caplog.records == []


@pytest.mark.parametrize(
    ("from_env", "expected"),
    [(False, "http://127.0.0.1:8101"), (True, "https://shop.example.com")],
)
def test_runserver_uses_its_own_address_unless_site_url_is_set(
    settings, monkeypatch, from_env, expected
):
    from django.contrib.staticfiles.management.commands import runserver

    settings.SITE_URL = "https://shop.example.com"
    settings.SITE_URL_FROM_ENV = from_env
    seen = {}

    def fake_inner_run(self, *args, **options):
        seen["site_url"] = settings.SITE_URL
        seen["admin"] = settings.WAGTAILADMIN_BASE_URL

    monkeypatch.setattr(runserver.Command, "inner_run", fake_inner_run)
    call_command("runserver", "127.0.0.1:8101", use_reloader=False)
    assert seen["site_url"] == expected
    if not from_env:
        assert seen["admin"] == expected


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.fixture
def dev_server_on_another_port(transactional_db, tmp_path):
    """``make serve`` (what ``make run`` ends with) on a free port, not 8000."""
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="site_config.settings.dev",
        DATABASE_URL=_database_url(),
        DEBUG="1",
        # The browser carries a session made here: same key, same database.
        SECRET_KEY=settings.SECRET_KEY,
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the development server did not start within 90 s")
        yield url, tmp_path / "server.log"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_make_run_on_another_port_completes_a_purchase(
    browser, dev_server_on_another_port, browser_sign_in
):
    url, server_log = dev_server_on_another_port
    product = ProductPageFactory(title="Port Agnostic Kit", price=1500)
    buyer = UserFactory(email="port@example.com")
    context = browser.new_context(base_url=url)
    context.set_default_timeout(20_000)
    browser_sign_in(context, buyer, url)
    page = context.new_page()
    try:
        page.goto(f"/checkout/{product.pk}/")
        page.select_option("select[name=country]", "NL")
        page.fill("input[name=city]", "Utrecht")
        page.get_by_role("button", name="Continue to payment").click()
        # The sandbox's hosted page is on this server's port, not on :8000.
        page.wait_for_url(f"{url}/dodo-sandbox/checkout/**")
        page.get_by_role("button", name="Pay", exact=True).click()
        page.wait_for_url(f"{url}/account/**")
    finally:
        context.close()

    assert f"SITE_URL is {url}" in server_log.read_text()
    order = Order.objects.get(user=buyer)
    assert order.status == OrderStatus.PAID
    assert PurchasedProduct.objects.active().filter(user=buyer, product=product)
