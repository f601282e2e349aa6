"""The per-request health check of ``site_config.postgresql``: no round trip for a
connection in good health, Django's ``SELECT 1`` whenever the server may have
hung up, and a fresh connection when it has."""

import select
import time

import psycopg
import pytest
from django.db import OperationalError, close_old_connections, connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_connection():
    """Each test starts on a new connection. One opened by an earlier test of this
    process may be past ``CONN_MAX_AGE``: ``close_old_connections`` would then close
    it for its age, not its health, and the test would see a new backend."""
    connection.close()


def _other_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _run(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _last_statement(pid: int) -> str:
    with _other_connection() as other:
        row = other.execute(
            "SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]
        ).fetchone()
    return row[0]


def _wait_until_readable(timeout: float = 5.0) -> None:
    poller = select.poll()
    poller.register(connection.connection.fileno(), select.POLLIN)
    assert poller.poll(int(timeout * 1000)), "the server sent nothing"
    time.sleep(0.05)  # the close, right behind the farewell


def _next_request_uses_the_database() -> None:
    close_old_connections()  # what request_started does
    connection.close_if_health_check_failed()  # the request's first query does


def test_a_healthy_connection_is_kept_without_a_statement(requires_postgres):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    pid = _backend_pid()
    _run("SELECT 'the last request'")
    _next_request_uses_the_database()
    # Django's check would have sent SELECT 1; the server saw nothing since.
    assert _last_statement(pid) == "SELECT 'the last request'"
    assert _backend_pid() == pid


def test_a_connection_the_server_dropped_is_replaced_before_it_is_used(
    requires_postgres,
):
    pid = _backend_pid()
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    _wait_until_readable()
    _next_request_uses_the_database()
    # No error reached the request: it runs on a new connection.
    assert _backend_pid() != pid


def test_something_to_read_on_a_live_connection_asks_the_server(requires_postgres):
    pid = _backend_pid()
    _run("LISTEN storefront_health_check")
    try:
        with _other_connection() as other:
            other.execute("NOTIFY storefront_health_check")
        _wait_until_readable()
        _next_request_uses_the_database()
        assert _last_statement(pid) == "SELECT 1"
        assert _backend_pid() == pid  # it answered: kept
    finally:
        _run("UNLISTEN *")


def test_after_an_error_the_full_check_runs(requires_postgres):
    pid = _backend_pid()
    _run("SET statement_timeout = 10")
    with pytest.raises(OperationalError):
        _run("SELECT pg_sleep(1)")
    _run("SET statement_timeout = 0")
    _next_request_uses_the_database()
    assert _last_statement(pid) == "SELECT 1"
    assert _backend_pid() == pid
