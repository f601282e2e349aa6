"""Project-wide pytest fixtures: services, the browser, and the rules CI relies on."""

import os
import shutil

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; Django would
    # otherwise refuse ORM calls made from it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # CI's service run sets this: a skipped test there means something it should
    # have exercised (PostgreSQL, Redis, Chromium) was not exercised.
    if os.environ.get("STOREFRONT_FAIL_ON_SKIP") != "1":
        return
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"STOREFRONT_FAIL_ON_SKIP: {len(skipped)} test(s) skipped; failing.",
            red=True,
        )
        terminalreporter._session.exitstatus = pytest.ExitCode.TESTS_FAILED


def rebuild_migration_data() -> None:
    """Recreate what data migrations made, after a flush removed it.

    Each app owns a runtime twin of its data migration; this calls them in
    dependency order: the site tree, the product index with the Sellers group's
    page/category/image permissions, the Sellers group's short-link permissions,
    the marketing groups, collection and review workflows.
    """
    from catalog.site_tree import ensure_product_index
    from commerce.discounts.permissions import sellers_group_grant_discount_permissions
    from home.site_tree import ensure_site_tree
    from marketing.setup import ensure_marketing_setup
    from shortlinks.permissions import sellers_group_grant_link_permissions

    ensure_site_tree()
    ensure_product_index()
    sellers_group_grant_link_permissions()
    sellers_group_grant_discount_permissions()
    ensure_marketing_setup()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A kept test database may have been emptied by a transactional test: repair."""
    with django_db_blocker.unblock():
        rebuild_migration_data()


@pytest.fixture(autouse=True)
def _site_tree_after_flush(request):
    """Transactional tests start after a flush: rebuild the site skeleton first.

    The flush wipes what data migrations created (Wagtail's root page, locale and
    collection, our home page and Site, the product index, the Sellers group and
    its permissions); content types and permissions come back through
    post_migrate, so their cache must go too.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if transactional:
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import cache

        request.getfixturevalue("transactional_db")
        ContentType.objects.clear_cache()
        cache.clear()
        rebuild_migration_data()
    yield


@pytest.fixture
def requires_postgres():
    """Skip unless the tests run on PostgreSQL (``DATABASE_URL`` set)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block, then its on-commit callbacks.

    The test's own transaction never commits, so cache invalidation (which waits
    for the commit, site_config.cache) would otherwise never run.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def requires_redis():
    """Skip unless ``REDIS_URL`` points at a Redis server."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL=redis://...")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (its own download is blocked)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) for one test against ``live_server``."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def browser_sign_in():
    """``sign_in(context, user, url)``: a browser context signed in as ``user``.

    The session is made here (``force_login``) and handed to the browser as its
    session cookie for ``url`` (the live server, or a server started by a test).
    """
    from django.test import Client

    def sign_in(context, user, url: str) -> None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        context.add_cookies(
            [{"name": name, "value": client.cookies[name].value, "url": url}]
        )

    return sign_in


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (Redis is shared by the whole run).

    Cached state (maintenance switch, short links, dashboards, Wagtail's site
    paths) would otherwise leak between tests and make query budgets depend on
    test order and TTL timing.
    """
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def celery_worker_redis(requires_redis):
    """A real Celery worker (solo pool, in this process) consuming from Redis.

    Tasks stop running inline while it lives, so ``.delay()`` and ``on_commit``
    publishes really cross the broker. Use with ``transaction=True`` tests when
    the task reads rows the test wrote: the worker sees committed data only.
    """
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    from site_config.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            queues=settings.QUEUE_NAMES,
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def hung_server():
    """A local TCP server that accepts and never answers (a hung upstream)."""
    from site_config.tests.faults import HungServer

    server = HungServer()
    yield server
    server.close()


@pytest.fixture
def private_redis():
    """A redis-server of this test's own on a free port, stopped by its PID after."""
    from site_config.tests.faults import PrivateRedis

    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server on PATH")
    server = PrivateRedis()
    yield server
    server.stop()


@pytest.fixture
def chaos_celery(private_redis):
    """The Celery app on a private Redis of this test's own (which it may stop).

    Tasks are published for real (not inline); ``chaos_celery.worker()`` starts a
    worker in this process; ``chaos_celery.redis`` is the ``PrivateRedis``.
    """
    from site_config.celery import app
    from site_config.tests.faults import CeleryOnBroker

    broker = CeleryOnBroker(app, private_redis.url)
    broker.redis = private_redis
    yield broker
    broker.restore()


@pytest.fixture
def smtp_sink():
    """A local SMTP server (aiosmtpd) that keeps every message it accepts."""
    from site_config.tests.faults import SmtpSink

    sink = SmtpSink()
    yield sink
    sink.close()
