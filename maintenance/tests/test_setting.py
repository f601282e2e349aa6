"""The maintenance setting: edited by staff only, read through the cache."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from accounts.tests.factories import SellerFactory, StaffFactory
from maintenance import state
from maintenance.models import MaintenanceSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return Site.objects.get(is_default_site=True)


def edit_url(site):
    return reverse(
        "wagtailsettings:edit", args=["maintenance", "maintenancesettings", site.pk]
    )


def test_staff_turns_maintenance_on_and_off_in_the_admin(client, site, committed):
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get(edit_url(site)).status_code == 200
    assert client.get("/").status_code == 200  # caches "off"

    with committed():
        response = client.post(
            edit_url(site),
            {"enabled": "on", "message": "Back at noon.", "expected_end": ""},
        )
    assert response.status_code == 302
    assert MaintenanceSettings.for_site(site).enabled

    client.logout()
    response = client.get("/")
    assert response.status_code == 503
    assert "Back at noon." in response.content.decode()

    client.force_login(staff)
    with committed():
        client.post(edit_url(site), {"message": "Back at noon.", "expected_end": ""})
    client.logout()
    assert client.get("/").status_code == 200


def test_sellers_cannot_edit_the_setting(client, site):
    client.force_login(SellerFactory())
    response = client.get(edit_url(site))
    assert response.status_code == 302
    assert response["Location"] != edit_url(site)
    client.post(edit_url(site), {"enabled": "on", "message": "x"})
    assert not MaintenanceSettings.objects.filter(enabled=True).exists()


def test_state_is_served_from_the_cache_until_the_setting_is_saved(
    client, site, committed
):
    setting = MaintenanceSettings.for_site(site)
    assert client.get("/").status_code == 200

    # A write that skips save() is not seen: the cached answer stands (until TTL).
    MaintenanceSettings.objects.filter(pk=setting.pk).update(enabled=True)
    assert client.get("/").status_code == 200

    setting.refresh_from_db()
    with committed():
        setting.save()
    assert client.get("/").status_code == 503


def test_cached_state_costs_no_query(rf, site, django_assert_num_queries):
    setting = MaintenanceSettings.for_site(site)
    setting.enabled = True
    setting.save()
    request = rf.get("/")
    assert state.maintenance_state_for_request(request) is not None

    with django_assert_num_queries(0):
        current = state.maintenance_state_for_request(request)

    assert current.message == setting.message


@pytest.mark.parametrize("extra_sites", [0, 5])
def test_state_rebuild_costs_one_query_off_and_two_on_at_any_size(
    rf, site, django_assert_num_queries, extra_sites, committed
):
    for n in range(extra_sites):
        Site.objects.create(
            hostname=f"s{n}.example.com", port=80, root_page=site.root_page
        )
    setting = MaintenanceSettings.for_site(site)
    with committed():
        state.forget()
    with django_assert_num_queries(1):
        assert state.maintenance_state_for_request(rf.get("/")) is None

    with committed():
        setting.enabled = True
        setting.save()
    with django_assert_num_queries(2):
        assert state.maintenance_state_for_request(rf.get("/")) is not None


def test_forget_runs_again_after_commit(site, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True):
        MaintenanceSettings.for_site(site).save()
        cache.set(state.CACHE_KEY, {"sites": [], "enabled": {}}, 30)

    assert cache.get(state.CACHE_KEY) is None
