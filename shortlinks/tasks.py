"""Short-link jobs run by Celery Beat."""

from celery import shared_task

from .services import shortlink_hits_flush


@shared_task(name="shortlinks.hits_flush", ignore_result=True)
def shortlink_hits_flush_task() -> int:
    """Move the hits buffered in Redis into the links' rows (every minute)."""
    return shortlink_hits_flush()
