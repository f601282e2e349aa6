"""Beat closes idle support requests every hour (editable in the admin)."""

from django.db import migrations

from maintenance.beat_schedules import interval_entry

create_schedule, remove_schedule = interval_entry(
    name="Close idle support requests",
    task="support.close_idle_requests",
    every=1,
    period="hours",
    description="Closes active support requests with no activity for "
        "SUPPORT_AUTO_CLOSE_DAYS days; the request history says so.",
)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0002_transition_note_and_system_actor"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
