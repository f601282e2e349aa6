"""Default Celery Beat schedules; staff edit them afterwards in the admin.

Existing rows (same name) are left as they are, so re-running keeps staff's edits.
"""

from django.db import migrations
from django.utils import timezone

EVERY_10_MINUTES = {"every": 10, "period": "minutes"}
HOURLY = {"every": 1, "period": "hours"}
NIGHTLY_3AM_UTC = {
    "minute": "0",
    "hour": "3",
    "day_of_week": "*",
    "day_of_month": "*",
    "month_of_year": "*",
    "timezone": "UTC",
}

TASKS = [
    (
        "Reconcile pending orders with Dodo",
        "commerce.reconcile_pending_orders",
        "interval",
        EVERY_10_MINUTES,
        "Re-checks pending payments with Dodo in case a webhook was missed.",
    ),
    (
        "Purge expired download tokens",
        "commerce.purge_expired_download_tokens",
        "interval",
        HOURLY,
        "Deletes download tokens past their expiry.",
    ),
    (
        "Nightly database backup",
        "maintenance.backup_database",
        "crontab",
        NIGHTLY_3AM_UTC,
        "Dumps the database to the backups storage and keeps the newest BACKUP_KEEP.",
    ),
]


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, kind, schedule, description in TASKS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if kind == "interval":
            interval, _ = IntervalSchedule.objects.get_or_create(**schedule)
            PeriodicTask.objects.create(
                name=name, task=task, interval=interval, description=description
            )
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(**schedule)
            PeriodicTask.objects.create(
                name=name, task=task, crontab=crontab, description=description
            )
    # Tell a running beat (DatabaseScheduler) that its schedule changed.
    PeriodicTasks.objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("maintenance", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
