"""The cached site lookup picks the same site as Wagtail's own lookup."""

import pytest
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from maintenance.models import MaintenanceSettings
from maintenance.state import _build_snapshot, _site_id_for

pytestmark = pytest.mark.django_db


def test_site_choice_matches_wagtail():
    default = Site.objects.get(is_default_site=True)
    root = default.root_page
    Site.objects.create(hostname="shop.example.com", port=80, root_page=root)
    Site.objects.create(hostname="shop.example.com", port=8080, root_page=root)
    Site.objects.create(hostname="lone.example.com", port=443, root_page=root)
    MaintenanceSettings.objects.create(site=default, enabled=True)
    sites = _build_snapshot()["sites"]

    for hostname, port in [
        ("shop.example.com", 80),
        ("shop.example.com", 8080),
        ("shop.example.com", 9999),
        ("lone.example.com", 80),
        ("lone.example.com", 443),
        (default.hostname, default.port),
        (default.hostname, 1234),
        ("unknown.example.com", 80),
    ]:
        expected = get_site_for_hostname(hostname, port).pk
        assert _site_id_for(sites, hostname, port) == expected, (hostname, port)
