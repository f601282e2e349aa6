from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import panel_cache

        panel_cache.connect()
