from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Access policy"

    def ready(self) -> None:
        # As wagtail.contrib.redirects registers its policy: in ready(), so every
        # page, image and document permission question goes through ours.
        from .wagtail_policies import register_policies

        register_policies()
