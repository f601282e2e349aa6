"""The review workflows: "Landing page review" on the home page (and so on the
landing pages under it), "Product review" on the product index (used only with
``SELLER_PRODUCT_WORKFLOW``); and Beat running Wagtail's scheduled publishing."""

from django.db import migrations
from django.utils import timezone

from marketing.setup import ensure_review_workflows, remove_review_workflows

SCHEDULE_NAME = "Publish scheduled pages"
SCHEDULE_TASK = "marketing.publish_scheduled_pages"


def create(apps, schema_editor):
    ensure_review_workflows(apps)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if not PeriodicTask.objects.filter(name=SCHEDULE_NAME).exists():
        every_minute, _ = IntervalSchedule.objects.get_or_create(
            every=1, period="minutes"
        )
        PeriodicTask.objects.create(
            name=SCHEDULE_NAME,
            task=SCHEDULE_TASK,
            interval=every_minute,
            description="Publishes pages (and approved drafts) whose go-live time "
            "has come and unpublishes expired ones (Wagtail's publish_scheduled).",
        )
    PeriodicTasks.objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )


def remove(apps, schema_editor):
    remove_review_workflows(apps)
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=SCHEDULE_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0001_marketing_roles"),
        ("catalog", "0007_product_license_keys"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
