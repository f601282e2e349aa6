"""The outbox relay, run by Celery Beat (outbox.relay, every minute)."""

from celery import shared_task

from . import services


@shared_task(name="outbox.relay")
def outbox_relay_task() -> dict:
    """Publish what the commit hooks could not; forget old published rows."""
    counts = services.relay()
    counts["purged"] = services.purge()
    return counts
