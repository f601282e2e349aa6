from django.apps import AppConfig


class DodoSandboxConfig(AppConfig):
    """The development-only Dodo emulation: installed by dev and test settings only.

    Production settings never list it, so its table is never created there and
    ``commerce.urls`` does not mount its URLs.
    """

    name = "commerce.dodo.sandbox"
    label = "dodo_sandbox"
    verbose_name = "Dodo sandbox (development only)"
    default_auto_field = "django.db.models.BigAutoField"
