"""Default Beat entries created by data migrations, one helper for all of them.

Each app that needs a periodic task adds it in a data migration::

    create_schedule, remove_schedule = interval_entry(
        name="Relay the outbox", task="outbox.relay", every=1, period="minutes",
        description="...",
    )
    operations = [migrations.RunPython(create_schedule, remove_schedule)]

The entry is created once (a staff edit, or a deletion, is never undone by a
rerun) and is editable in the admin (maintenance.beat_viewsets). Historical models
only: this module must keep working for every migration that calls it.
"""

from __future__ import annotations

from django.utils import timezone


def interval_entry(*, name: str, task: str, every: int, period: str, description: str):
    """``(create, remove)`` functions for ``RunPython``: one interval Beat entry."""

    def create(apps, schema_editor) -> None:
        interval_schedule = apps.get_model("django_celery_beat", "IntervalSchedule")
        periodic_task = apps.get_model("django_celery_beat", "PeriodicTask")
        periodic_tasks = apps.get_model("django_celery_beat", "PeriodicTasks")
        if periodic_task.objects.filter(name=name).exists():
            return
        interval, _ = interval_schedule.objects.get_or_create(
            every=every, period=period
        )
        periodic_task.objects.create(
            name=name, task=task, interval=interval, description=description
        )
        # Beat reloads its schedule when this changes.
        periodic_tasks.objects.update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )

    def remove(apps, schema_editor) -> None:
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
            name=name
        ).delete()

    return create, remove
