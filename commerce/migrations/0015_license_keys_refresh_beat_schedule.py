"""Beat reads license keys' activation counts back from Dodo every 15 minutes."""

from django.db import migrations

from maintenance.beat_schedules import interval_entry

create_schedule, remove_schedule = interval_entry(
    name="Refresh license key activations from Dodo",
    task="commerce.license_keys_refresh",
    every=15,
    period="minutes",
    description="Dodo sends no webhook when a key is activated or deactivated: "
        "this reads every key's status and activation count back for the library.",
)


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0014_refund_requests"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
