"""Every admin screen renders with rows under production's hashed static files.

Production serves collected files through a manifest (hashed names); a template that
asks for a file nobody collected (Django admin's ``icon-yes.svg``) raises
``Missing staticfiles manifest entry`` and turns the whole screen into a 500. The
test settings serve files through the finders, so only this test catches it.
"""

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from accounts.tests.factories import SellerFactory, StaffFactory

from .admin_walk import admin_urls, seller_world

MANIFEST = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    from django.conf import settings

    root = tmp_path_factory.mktemp("collected-static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.mark.django_db
def test_every_admin_screen_renders_rows_with_hashed_static_files(
    client, collected_static
):
    world = seller_world(SellerFactory(), "Prod")
    client.force_login(StaffFactory())
    failures = []
    for url in admin_urls(world):
        try:
            status = client.get(url).status_code
        except Exception as err:  # noqa: BLE001 - collect every broken screen
            failures.append(f"{url}: {err!r}")
            continue
        if status >= 500:
            failures.append(f"{url}: {status}")
    assert failures == []
