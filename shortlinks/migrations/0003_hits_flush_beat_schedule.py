"""Beat moves buffered short-link hits into the database every minute."""

from django.db import migrations

from maintenance.beat_schedules import interval_entry

create_schedule, remove_schedule = interval_entry(
    name="Flush short-link hits",
    task="shortlinks.hits_flush",
    every=1,
    period="minutes",
    description="Adds the short-link hits counted in Redis to each link's "
        "hit count (the admin's figures lag by at most this interval).",
)


class Migration(migrations.Migration):
    dependencies = [
        ("shortlinks", "0002_sellers_permissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
