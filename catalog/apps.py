from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.connect()
        from site_config import page_cache

        page_cache.connect()
        # Clears a seller's cached dashboard when their orders change, in every
        # process (web, worker), not only where the admin hooks are loaded.
        from .dashboard import signal_handlers as dashboard_signal_handlers  # noqa: F401
