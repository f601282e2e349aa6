"""In Chromium: the buyer asks for a refund from the library; the seller declines
it in the admin; outside the window the library offers no button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import Order
from commerce.refund_requests.models import RefundRequest, RefundRequestStatus
from commerce.tests.factories import PurchasedProductFactory


@pytest.mark.django_db(transaction=True)
def test_request_a_refund_from_the_library_and_the_seller_declines(
    page, live_server, settings, browser_sign_in
):
    settings.SITE_URL = live_server.url
    buyer = UserFactory()
    product = ProductPageFactory(title="Brush Set", refund_window_days=30)
    late = ProductPageFactory(title="Old Font", refund_window_days=14)
    purchase = PurchasedProductFactory(order__user=buyer, order__product=product)
    old = PurchasedProductFactory(order__user=buyer, order__product=late)
    Order.objects.filter(pk=old.order_id).update(
        paid_at=timezone.now() - timedelta(days=20)
    )
    browser_sign_in(page.context, buyer, live_server.url)

    page.goto("/account/products/")
    old_item = page.locator(f"#product-{late.pk}")
    assert old_item.get_by_role("link", name="Request a refund").count() == 0
    item = page.locator(f"#product-{product.pk}")
    item.get_by_role("link", name="Request a refund").click()
    expect(page.get_by_text("within 30 days of buying")).to_be_visible()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.fill("textarea[name=reason]", "The brushes do not load in my app.")
    page.get_by_role("button", name="Send the request").click()

    page.wait_for_url("**/account/products/*")
    expect(page.get_by_text("was sent to the seller")).to_be_visible()
    item = page.locator(f"#product-{product.pk}")
    expect(item.get_by_test_id("refund-requested")).to_be_visible()
    assert item.get_by_role("link", name="Request a refund").count() == 0
    found = RefundRequest.objects.get(purchase=purchase)

    browser_sign_in(page.context, product.seller, live_server.url)
    page.goto("/admin/commerce/refundrequest/")
    expect(page.get_by_text("The brushes do not load in my app.")).to_be_visible()
    page.get_by_role("link", name="Decline", exact=True).click()
    page.fill("textarea[name=note]", "Version 2 fixes it: download it again.")
    page.get_by_role("button", name="Decline", exact=True).click()
    page.get_by_text(f"Refund request #{found.pk} declined").wait_for()
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.DECLINED
    (notice,) = [m for m in mail.outbox if "declined" in m.subject]
    assert notice.to == [buyer.email]
    assert "Version 2 fixes it" in notice.body
