"""``/healthz``: is this process able to reach what it depends on?

The database is required: without it the site is down (503). Redis (cache and
Celery broker) is not: pages, checkout, downloads and the webhook keep working
without it (settings.CACHES), so an unreachable Redis makes the site "degraded"
and the answer stays 200; a load balancer must not take the node out for it.
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


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database()}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis()
    if checks["database"] != "ok":
        status = "error"
    elif all(value == "ok" for value in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return JsonResponse(
        {"status": status, "checks": checks},
        status=503 if status == "error" else 200,
    )
