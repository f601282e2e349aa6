"""Deploy check: the Redis broker keeps queued tasks across a restart (AOF on).

``manage.py check --deploy`` asks Redis ``CONFIG GET appendonly``. An unreachable
Redis is not this check's business (``/healthz`` reports it; CI runs the deploy
check without one), nor is a managed Redis that refuses CONFIG: both stay silent.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

AOF_OFF = "outbox.W001"


def broker_appendonly(url: str) -> str | None:
    """Redis's ``appendonly`` setting ("yes"/"no"), None when it cannot be read."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return client.config_get("appendonly").get("appendonly")
    except redis.RedisError:
        return None
    finally:
        client.close()


@checks.register(checks.Tags.compatibility, deploy=True)
def broker_persistence_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return []
    if broker_appendonly(url) != "no":
        return []
    return [
        checks.Warning(
            "The Redis broker runs without persistence (appendonly no): a restart "
            "drops every queued task.",
            hint="Run Redis with `appendonly yes` (compose.yaml does), or "
            "`redis-cli CONFIG SET appendonly yes` and CONFIG REWRITE.",
            id=AOF_OFF,
        )
    ]
