"""``runserver`` that makes ``SITE_URL`` its own address unless it is set.

Checkout return links, the sandbox's API and webhook target and e-mail links are
built from ``SITE_URL``; with the default (``:8000``) a server started on another
port sent every checkout to nothing. The development server knows where it
listens, so that is the shop's address whenever none was configured.
"""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import (
    Command as StaticfilesRunserverCommand,
)


class Command(StaticfilesRunserverCommand):
    def inner_run(self, *args, **options):
        if not settings.SITE_URL_FROM_ENV:
            host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
            if host in ("0.0.0.0", "[::]"):  # noqa: S104 - reachable locally as this
                host = "127.0.0.1"
            settings.SITE_URL = f"{self.protocol}://{host}:{self.port}"
            settings.WAGTAILADMIN_BASE_URL = settings.SITE_URL
        self.stdout.write(f"SITE_URL is {settings.SITE_URL}")
        return super().inner_run(*args, **options)
