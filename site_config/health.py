"""``/healthz`` (liveness) and ``/readyz`` (readiness): may this node take traffic?

The database is required: without it the site is down (503). Redis (cache and
Celery broker) is not: pages, checkout, downloads and the webhook keep working
without it (settings.CACHES), so an unreachable Redis makes the site "degraded"
and the answer stays 200; a load balancer must not take the node out for it.

``/readyz`` adds what a new node must have before it is put behind the load
balancer: every migration applied (a node started before ``migrate`` finished
would 500 on new columns) and the Celery broker. The broker is "degraded", not
down: side effects wait in the outbox until it is back.
"""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as err:  # noqa: BLE001 - any failure means "unhealthy"
        logger.warning("health check: database unreachable: %s", err)
        # Drop the broken connection so the next request reconnects.
        connection.close()
        return "error"
    return "ok"


def _check_redis() -> str:
    timeout = settings.CACHE_SOCKET_TIMEOUT
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )
    try:
        client.ping()
    except redis.RedisError as err:
        logger.warning("health check: redis unreachable: %s", err)
        return "error"
    finally:
        client.close()
    return "ok"


_migrations_applied = False


def _check_migrations() -> str:
    """Migrations all applied? Remembered once true (they never un-apply)."""
    global _migrations_applied
    if _migrations_applied:
        return "ok"
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as err:  # noqa: BLE001 - any failure means "not ready"
        logger.warning("readiness: migrations unreadable: %s", err)
        return "error"
    if plan:
        pending = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        logger.warning("readiness: %d migration(s) pending: %s", len(plan), pending)
        return "pending"
    _migrations_applied = True
    return "ok"


def _check_broker() -> str:
    from site_config.celery import app

    if app.conf.task_always_eager:
        return "inline"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CACHE_SOCKET_TIMEOUT)
    except Exception as err:  # noqa: BLE001 - any failure means "unreachable"
        logger.warning("readiness: broker unreachable: %s", err)
        return "error"
    return "ok"


def _answer(checks: dict[str, str], required: tuple[str, ...]) -> JsonResponse:
    if any(checks[name] != "ok" for name in required):
        status = "error"
    elif all(value in ("ok", "inline") for value in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse(
        {"status": status, "checks": checks},
        status=503 if status == "error" else 200,
    )


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database()}
    checks["migrations"] = (
        _check_migrations() if checks["database"] == "ok" else "unknown"
    )
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
    checks["broker"] = _check_broker()
    return _answer(checks, required=("database", "migrations"))


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database()}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
    return _answer(checks, required=("database",))
