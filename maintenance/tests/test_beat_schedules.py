"""Default Beat schedules from the data migration, editable in the Wagtail admin."""

import importlib

import pytest
from django.apps import apps
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from accounts.tests.factories import SellerFactory, StaffFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "maintenance.migrations.0002_default_beat_schedules"
)
EXPECTED = {
    "commerce.reconcile_pending_orders": ("interval", "every 10 minutes"),
    "commerce.purge_expired_download_tokens": ("interval", "every hour"),
    "maintenance.backup_database": ("crontab", "0 3 * * * (m/h/dM/MY/d) UTC"),
}


def _schedules():
    tasks = PeriodicTask.objects.filter(task__in=EXPECTED).select_related(
        "interval", "crontab"
    )
    return {
        task.task: (
            "interval" if task.interval else "crontab",
            str(task.interval or task.crontab),
        )
        for task in tasks
        if task.enabled
    }


def test_migration_is_applied_and_creates_the_schedules():
    assert MigrationRecorder.Migration.objects.filter(
        app="maintenance", name="0002_default_beat_schedules"
    ).exists()
    # A transactional test elsewhere may have flushed the kept test database:
    # start from no rows and run the migration's own function.
    PeriodicTask.objects.filter(task__in=EXPECTED).delete()

    migration.create_schedules(apps, None)

    assert _schedules() == EXPECTED


def test_rerun_keeps_staff_edits():
    migration.create_schedules(apps, None)
    task = PeriodicTask.objects.get(task="maintenance.backup_database")
    task.enabled = False
    task.save()

    migration.create_schedules(apps, None)

    assert PeriodicTask.objects.filter(task="maintenance.backup_database").count() == 1
    assert not PeriodicTask.objects.get(task="maintenance.backup_database").enabled


def test_staff_edit_a_schedule_in_the_wagtail_admin(client):
    migration.create_schedules(apps, None)
    task = PeriodicTask.objects.get(task="maintenance.backup_database")
    four_am, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="4", timezone="UTC"
    )
    client.force_login(StaffFactory())
    index = reverse("wagtailsnippets_django_celery_beat_periodictask:list")
    edit = reverse(
        "wagtailsnippets_django_celery_beat_periodictask:edit", args=[task.pk]
    )

    listing = client.get(index)
    form = client.get(edit)
    response = client.post(
        edit,
        {
            "name": task.name,
            "task": "maintenance.backup_database",
            "enabled": "",
            "interval": "",
            "crontab": four_am.pk,
            "description": "Moved to 04:30.",
        },
    )

    assert listing.status_code == 200
    assert "Nightly database backup" in listing.content.decode()
    assert form.status_code == 200
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert task.crontab == four_am
    assert task.enabled is False
    assert task.description == "Moved to 04:30."


def test_staff_cannot_save_two_schedules_on_one_task(client):
    migration.create_schedules(apps, None)
    task = PeriodicTask.objects.get(task="commerce.reconcile_pending_orders")
    client.force_login(StaffFactory())
    edit = reverse(
        "wagtailsnippets_django_celery_beat_periodictask:edit", args=[task.pk]
    )

    response = client.post(
        edit,
        {
            "name": task.name,
            "task": task.task,
            "enabled": "on",
            "interval": IntervalSchedule.objects.first().pk,
            "crontab": CrontabSchedule.objects.first().pk,
        },
    )

    assert response.status_code == 200  # form shown again with the error
    task.refresh_from_db()
    assert task.crontab is None


def test_sellers_cannot_reach_schedules(client):
    client.force_login(SellerFactory())

    response = client.get(
        reverse("wagtailsnippets_django_celery_beat_periodictask:list")
    )

    assert response.status_code in (302, 403)
