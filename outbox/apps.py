from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from celery.signals import task_postrun

        from . import checks  # noqa: F401 - registers the system checks
        from .services import task_finished

        task_postrun.connect(task_finished, weak=False, dispatch_uid="outbox.done")
