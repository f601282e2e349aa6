"""End to end in Chromium: customer opens, seller works it in the admin, done."""

import pytest
from playwright.sync_api import expect

from support.models import SupportRequest, SupportStatus


@pytest.mark.django_db(transaction=True)
def test_customer_opens_seller_progresses_customer_completes(
    page,
    browser,
    live_server,
    customer,
    seller,
    product,
    purchase,
    settings,
    browser_sign_in,
):
    settings.TELEGRAM_BOT_TOKEN = ""
    browser_sign_in(page.context, customer, live_server.url)

    page.goto("/account/products/")
    item = page.locator(f".library-item[data-product-id='{product.pk}']")
    item.locator("a:has-text('Ask for support')").click()
    page.wait_for_url(f"**/support/new/{product.pk}/")
    page.fill("input[name=subject]", "Cannot activate licence")
    page.fill("textarea[name=message]", "The key is refused.")
    page.click("button:has-text('Send request')")
    page.wait_for_selector("text=Your request was sent to the seller.")
    support_request = SupportRequest.objects.get()
    assert page.url.endswith(f"/support/{support_request.pk}/")
    assert page.locator(".status-label").inner_text() == "New"

    seller_context = browser.new_context(base_url=live_server.url)
    seller_context.set_default_timeout(15_000)
    try:
        browser_sign_in(seller_context, seller, live_server.url)
        admin = seller_context.new_page()
        admin.goto("/admin/support/supportrequest/")
        admin.click("text=Cannot activate licence")
        for status, label in (
            ("DISCUSSING", "Discussing"),
            ("PAYMENT", "Awaiting payment"),
            ("IN_PROGRESS", "In progress"),
        ):
            admin.select_option("select[name=to_status]", status)
            admin.click("button:has-text('Change status')")
            admin.wait_for_selector(f"text=Request moved to {label}.")
            assert admin.locator("[data-testid=status]").inner_text() == label
    finally:
        seller_context.close()

    page.goto("/account/support/")
    row = page.locator(f"tr[data-request='{support_request.pk}']")
    assert row.locator(".status-label").inner_text() == "In progress"
    assert row.locator("button:has-text('Cancel')").count() == 0
    row.locator("button:has-text('Complete')").click()
    page.wait_for_selector("text=Thank you: the request is completed.")
    row = page.locator(f"tr[data-request='{support_request.pk}']")
    assert row.locator(".status-label").inner_text() == "Completed"

    page.goto("/account/products/")
    item = page.locator(f".library-item[data-product-id='{product.pk}']")
    assert item.locator("text=Last request completed").count() == 1

    support_request.refresh_from_db()
    assert support_request.status == SupportStatus.COMPLETED
    assert [t.to_status for t in support_request.transitions.all()] == [
        "NEW",
        "DISCUSSING",
        "PAYMENT",
        "IN_PROGRESS",
        "COMPLETED",
    ]


@pytest.mark.django_db(transaction=True)
def test_seller_completes_and_the_customer_reopens_by_replying_on_a_phone(
    page,
    browser,
    live_server,
    customer,
    seller,
    product,
    purchase,
    settings,
    browser_sign_in,
):
    """Issue 16 point 8: the seller closes delivered work; the customer can reopen."""
    from django.utils import timezone

    from support import services

    settings.TELEGRAM_BOT_TOKEN = ""
    support_request = services.support_request_create(
        customer=customer, product=product, subject="Install help", message="Help."
    )
    SupportRequest.objects.filter(pk=support_request.pk).update(
        status=SupportStatus.IN_PROGRESS, in_progress_at=timezone.now()
    )

    seller_context = browser.new_context(base_url=live_server.url)
    seller_context.set_default_timeout(15_000)
    try:
        browser_sign_in(seller_context, seller, live_server.url)
        admin = seller_context.new_page()
        admin.goto(f"/admin/support/supportrequest/edit/{support_request.pk}/")
        admin.select_option("select[name=to_status]", "COMPLETED")
        admin.click("button:has-text('Change status')")
        admin.wait_for_selector("text=Request moved to Completed.")
    finally:
        seller_context.close()

    browser_sign_in(page.context, customer, live_server.url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/support/{support_request.pk}/")
    assert page.locator(".status-label").first.inner_text() == "Completed"
    reopen = page.locator(".support-reopen")
    assert "The seller marked this request completed" in reopen.inner_text()
    page.fill("textarea[name=body]", "The import still fails.")
    page.click("button:has-text('Send message')")
    page.wait_for_selector("text=The import still fails.")
    page.goto(f"/support/{support_request.pk}/")
    assert page.locator(".status-label").first.inner_text() == "In progress"
    expect(page.get_by_text("Reopened by the customer's reply")).to_be_visible()
    support_request.refresh_from_db()
    assert support_request.status == SupportStatus.IN_PROGRESS
