"""Pay a process's one-off costs before it serves anyone.

Django imports the URLconf (and through it every view module, Wagtail's admin,
the Redis client) on the first request, and compiles each template on the first
page that uses it: about a quarter of a second of CPU per process, paid inside
somebody's request. Under gunicorn with ``preload_app`` the master calls ``warm()``
once, before it forks: every worker, including each one gunicorn starts when it
recycles a worker after ``max_requests``, is born with all of that done, because
the imported modules and the cached template loader's compiled templates and Babel's
locale data (a fifth of a second to load, on the first price shown) are inherited
by ``fork``.

Nothing here opens a connection: a socket made in the master would be shared by
every forked worker. ``warm()`` closes any database connection it finds, in case
some import touched the database.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def warm() -> None:
    _import_urlconf()
    _import_cache_backends()
    _compile_templates()
    _load_locale_data()
    from django.db import connections

    connections.close_all()


def _import_urlconf() -> None:
    from django.urls import get_resolver

    resolver = get_resolver()
    # Building the reverse dictionary imports every included URLconf and view.
    resolver.reverse_dict  # noqa: B018


def _import_cache_backends() -> None:
    from django.utils.module_loading import import_string

    for alias in settings.CACHES.values():
        import_string(alias["BACKEND"])
        client = alias.get("OPTIONS", {}).get("CLIENT_CLASS")
        if client:
            import_string(client)


def _template_names() -> list[str]:
    """Every template of ours (the project's folder and our apps' folders)."""
    from django.apps import apps

    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    base = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templates"
        if folder.is_dir() and base in folder.parents:
            folders.append(folder)
    names = []
    for folder in folders:
        names += [
            path.relative_to(folder).as_posix()
            for path in sorted(folder.rglob("*"))
            if path.suffix in {".html", ".txt", ".xml"}
        ]
    return names


def _compile_templates() -> None:
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template

    for name in _template_names():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            # A name shadowed by another folder, or a fragment that is only
            # valid inside another template: it compiles when first used.
            logger.debug("warm-up: %s not compiled", name, exc_info=True)


def _load_locale_data() -> None:
    from commerce.money import format_money

    format_money(1999, "USD")
