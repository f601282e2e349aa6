"""Scheduled operations (Celery Beat runs these; see the Schedules admin screen)."""

from celery import shared_task

from .backups import backup_create


@shared_task(name="maintenance.backup_database")
def backup_database_task() -> dict:
    """Nightly database dump to the backups storage; old dumps are pruned."""
    result = backup_create()
    return {"name": result.name, "size": result.size, "seconds": result.seconds}
