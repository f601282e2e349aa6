"""The one-off costs a gunicorn master pays before it forks (site_config/warmup.py,
gunicorn.conf.py's pre_fork)."""

import gc
import runpy
from pathlib import Path

from django.db import connection
from django.template import engines

from site_config import warmup

ROOT = Path(__file__).resolve().parents[2]


def _cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]
    return {key.split("-")[0] for key in loader.get_template_cache}


def test_warm_compiles_our_templates_without_touching_the_database():
    # Production's loader (DEBUG off, as in tests) keeps what it compiled.
    loader = engines["django"].engine.template_loaders[0]
    loader.get_template_cache.clear()

    # No django_db mark: a query (or a connection left for the workers) would fail.
    warmup.warm()

    names = warmup._template_names()
    assert "base.html" in names and "catalog/product_page.html" in names
    assert {"base.html", "catalog/product_page.html"} <= _cached_names()
    assert connection.connection is None


def test_warm_loads_the_url_conf_and_babel_data():
    from babel.localedata import _cache as babel_cache
    from django.urls import get_resolver

    warmup.warm()

    assert get_resolver()._populated
    assert "en_US" in babel_cache


def test_gunicorn_freezes_the_masters_objects_before_each_fork():
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["preload_app"] is True
    try:
        conf["pre_fork"](None, None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
