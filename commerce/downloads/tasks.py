"""Periodic housekeeping for download links (scheduled with Celery Beat by name)."""

from celery import shared_task

from .services import download_tokens_purge_expired


@shared_task(name="commerce.purge_expired_download_tokens")
def purge_expired_download_tokens_task() -> int:
    """Delete expired download links; returns how many went."""
    return download_tokens_purge_expired()
