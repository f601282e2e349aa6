"""Beat runs the outbox relay every minute (staff may edit it in the admin)."""

from django.db import migrations

from maintenance.beat_schedules import interval_entry

create_schedule, remove_schedule = interval_entry(
    name="Relay the outbox",
    task="outbox.relay",
    every=1,
    period="minutes",
    description="Publishes side effects (e-mails, Telegram, Dodo sync) that "
        "could not reach the broker when they were recorded.",
)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_outbox_message"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
