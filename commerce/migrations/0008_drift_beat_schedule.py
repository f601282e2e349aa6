"""Beat compares products with their Dodo twins every 15 minutes (editable in admin)."""

from django.db import migrations

from maintenance.beat_schedules import interval_entry

create_schedule, remove_schedule = interval_entry(
    name="Heal Dodo product drift",
    task="commerce.heal_dodo_drift",
    every=15,
    period="minutes",
    description="Compares each product's name, price, currency and archived "
        "state with its Dodo product and re-syncs the ones that differ.",
)


class Migration(migrations.Migration):
    dependencies = [
        ("commerce", "0007_dodoproductsync_confirmed_values"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
