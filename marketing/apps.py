from django.apps import AppConfig


class MarketingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "marketing"
    verbose_name = "Marketing"

    def ready(self) -> None:
        # Listed after wagtail.admin: its notifiers are connected by now.
        from .review import connect

        connect()
