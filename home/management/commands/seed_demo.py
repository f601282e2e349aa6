"""``manage.py seed_demo``: a complete demo store, safe to run any number of times.

Each app seeds its own data in ``<app>/demo.py`` (a ``seed(out)`` function that
looks rows up before creating them); this command runs them in dependency order.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import credentials

DEMO_MODULES = [
    "accounts.demo",
    "catalog.demo",
    "home.demo",
    "commerce.demo",
    "shortlinks.demo",
    "attribution.demo",
    "support.demo",
]


class Command(BaseCommand):
    help = "Create (or complete) the demo store: site tree, users and catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo users have published passwords).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with well-known passwords; it runs only "
                "with DEBUG on. Pass --force if you really mean it."
            )
        # The web server that serves the Dodo sandbox is usually not running yet
        # while seeding: let the SDK reach the sandbox in-process instead of by HTTP.
        with override_settings(DODO_SANDBOX_IN_PROCESS=settings.DODO_SANDBOX):
            for module_path in DEMO_MODULES:
                with transaction.atomic():
                    import_module(module_path).seed(self.stdout)
        self.stdout.write("")
        credentials(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
