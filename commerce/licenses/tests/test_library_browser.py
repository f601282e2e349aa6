"""In Chromium: the library shows the license key (copy button, activations) and
the release history, and an earlier release downloads through the link path."""

import pytest
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import ProductPage
from catalog.tests.factories import ProductPageFactory, publish_release
from commerce.dodo.sandbox import testing as sandbox
from commerce.licenses.models import LicenseKey
from commerce.models import Order


@pytest.mark.django_db(transaction=True)
def test_library_with_a_key_and_a_release_history(
    page, live_server, tmp_path, browser_sign_in
):
    buyer = UserFactory()
    product = ProductPageFactory(
        title="Pixel Tool", license_key_enabled=True, license_key_activations_limit=3
    )
    publish_release(
        product,
        version="1.0",
        content=b"first release",
        changes="First public release",
        released_on=timezone.localdate() - timezone.timedelta(days=30),
    )
    publish_release(product, version="2.0", content=b"second", changes="New brushes")
    page_obj = ProductPage.objects.get(pk=product.pk).get_latest_revision_as_object()
    page_obj.earlier_releases_downloadable = True
    page_obj.save_revision().publish()

    # The purchase goes through the store, the sandbox and its signed webhooks.
    client = Client()
    client.force_login(buyer)
    assert client.post(f"/checkout/{product.pk}/", {"country": "US"}).status_code == 303
    sandbox.pay(Order.objects.get().dodo_checkout_session_id, "pay")
    key = LicenseKey.objects.get()

    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    browser_sign_in(page.context, buyer, live_server.url)
    page.goto("/account/products/")
    item = page.locator(".library-item")
    assert item.locator(".license-key__value").inner_text() == key.key
    assert "0 of 3 activations" in item.locator(".license-key__meta").inner_text()
    item.locator(".license-key__copy").click()
    page.wait_for_selector(".license-key__copy[data-copied='true']")
    assert page.evaluate("navigator.clipboard.readText()") == key.key

    item.locator(".library-item__releases summary").click()
    history = item.locator(".release-history__item")
    assert history.count() == 2
    assert (
        "2.0" in history.nth(0).inner_text()
        and "Current" in history.nth(0).inner_text()
    )
    assert "First public release" in history.nth(1).inner_text()
    with page.expect_download() as download_info:
        history.nth(1).locator("button:has-text('Download 1.0')").click()
    saved = tmp_path / "old.zip"
    download_info.value.save_as(saved)
    assert saved.read_bytes() == b"first release"
