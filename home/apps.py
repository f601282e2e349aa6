from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home and landing pages"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.connect()
