"""Refund requests: the buyer asks within the product's window; the seller or staff
decide in the admin; approval refunds through Dodo (the sandbox over the SDK)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import SellerFactory, StaffFactory, UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.dodo.sandbox import testing as sandbox
from commerce.models import Order, OrderStatus, PurchasedProduct
from commerce.refund_requests.models import RefundRequest, RefundRequestStatus

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def product():
    return ProductPageFactory(
        price=2500,
        title="Pattern Pack",
        refund_window_days=14,
        refund_fine_print="Only if the files do not open.",
    )


@pytest.fixture
def buyer():
    return UserFactory()


@pytest.fixture
def purchase(client, buyer, product):
    """A real purchase through checkout and the sandbox's signed payment."""
    client.force_login(buyer)
    assert client.post(f"/checkout/{product.pk}/", {"country": "US"}).status_code == 303
    order = Order.objects.get()
    sandbox.pay(order.dodo_checkout_session_id, "pay")
    return PurchasedProduct.objects.get(order=order)


def request_url(purchase) -> str:
    return reverse("commerce:refund_request_create", args=[purchase.pk])


def admin_url(action, found) -> str:
    return reverse(f"commerce_refund_request_{action}", args=[found.pk])


def test_the_policy_shows_on_the_product_page_and_the_checkout(client, product):
    client.force_login(UserFactory())
    for page in (product.url, f"/checkout/{product.pk}/"):
        body = text(client.get(page))
        assert "within 14 days of buying" in body
        assert "Only if the files do not open." in body


def test_a_product_without_refunds_says_so():
    product = ProductPageFactory(refund_window_days=0)
    from django.test import Client

    assert "this product is not refundable" in text(Client().get(product.url))


def test_inside_the_window_the_buyer_requests_once(client, purchase):
    library = text(client.get(reverse("accounts:products")))
    assert request_url(purchase) in library

    assert client.get(request_url(purchase)).status_code == 200
    empty = client.post(request_url(purchase), {"reason": ""})
    assert empty.status_code == 400
    assert not RefundRequest.objects.exists()

    response = client.post(request_url(purchase), {"reason": "Files are corrupt"})
    assert response.status_code == 302
    found = RefundRequest.objects.get()
    assert (found.user, found.order, found.status) == (
        purchase.user,
        purchase.order,
        RefundRequestStatus.OPEN,
    )
    library = text(client.get(reverse("accounts:products")))
    assert "Refund requested: waiting for the seller." in library
    assert request_url(purchase) not in library
    # One open request per purchase, even by a hand-made POST.
    assert client.post(request_url(purchase), {"reason": "again"}).status_code == 403
    assert RefundRequest.objects.count() == 1


def test_outside_the_window_there_is_no_button_and_a_forged_post_is_refused(
    client, purchase
):
    Order.objects.filter(pk=purchase.order_id).update(
        paid_at=timezone.now() - timedelta(days=15)
    )
    library = text(client.get(reverse("accounts:products")))
    assert "Request a refund" not in library
    response = client.post(request_url(purchase), {"reason": "late"})
    assert response.status_code == 403
    assert not RefundRequest.objects.exists()


def test_someone_elses_purchase_is_not_found(client, purchase):
    client.force_login(UserFactory())
    assert client.post(request_url(purchase), {"reason": "x"}).status_code == 404


def test_the_seller_approves_and_dodo_refunds(
    client, purchase, product, django_capture_on_commit_callbacks
):
    client.post(request_url(purchase), {"reason": "Files are corrupt"})
    found = RefundRequest.objects.get()
    client.force_login(product.seller)
    listing = text(client.get("/admin/commerce/refundrequest/"))
    assert "Files are corrupt" in listing and admin_url("approve", found) in listing
    assert client.get(admin_url("approve", found)).status_code == 200

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("approve", found))
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.APPROVED
    assert found.decided_by == product.seller
    order = Order.objects.get(pk=purchase.order_id)
    assert order.status == OrderStatus.REFUNDED
    assert not PurchasedProduct.objects.active().filter(pk=purchase.pk).exists()
    subjects = [m.subject for m in mail.outbox]
    assert any("was approved" in s for s in subjects), subjects
    assert all(m.to == [purchase.user.email] for m in mail.outbox)
    # Text and HTML: what was approved, what was paid, where to follow it.
    approved = next(m for m in mail.outbox if "was approved" in m.subject)
    assert approved.subject == (
        f"Your refund request for “Pattern Pack” was approved (order #{order.pk})"
    )
    assert f"(order #{order.pk}, paid $25.00)" in approved.body
    assert "/account/orders/" in approved.body
    ((approved_html, mimetype),) = approved.alternatives
    assert mimetype == "text/html"
    assert "<strong>approved</strong>" in approved_html
    assert "<strong>Pattern Pack</strong>" in approved_html
    assert '/account/orders/">Your order history</a>' in approved_html
    # Decided: no second approval.
    client.post(admin_url("approve", found))
    assert Order.objects.get(pk=order.pk).dodo_refund_ids == order.dodo_refund_ids


def test_the_seller_declines_and_the_buyer_is_told_why(
    client, purchase, product, django_capture_on_commit_callbacks
):
    client.post(request_url(purchase), {"reason": "Changed my mind"})
    found = RefundRequest.objects.get()
    client.force_login(product.seller)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin_url("decline", found), {"note": "Used already"})
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.DECLINED
    assert Order.objects.get(pk=purchase.order_id).status == OrderStatus.PAID
    (message,) = mail.outbox
    assert message.subject == (
        f"Your refund request for “Pattern Pack” was declined "
        f"(order #{purchase.order_id})"
    )
    assert "Used already" in message.body
    assert message.to == [purchase.user.email]
    ((declined_html, _),) = message.alternatives
    assert "Used already" in declined_html and "Pattern Pack" in declined_html


def test_a_dodo_refusal_leaves_the_request_open_with_the_error(
    client, purchase, product
):
    client.post(request_url(purchase), {"reason": "Broken"})
    found = RefundRequest.objects.get()
    payment_id = Order.objects.get(pk=purchase.order_id).dodo_payment_id
    sandbox.refund_plan_set(payment_id, "succeeded")
    # Someone refunded it at Dodo already: Dodo refuses a second refund.
    from commerce.dodo import client as dodo

    dodo.refund_create(payment_id=payment_id, reason="elsewhere")
    client.force_login(product.seller)
    response = client.post(admin_url("approve", found), follow=True)
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.OPEN
    assert found.refund_error
    assert "Dodo refused the refund" in text(response)


def test_another_seller_neither_sees_nor_decides(client, purchase):
    client.post(request_url(purchase), {"reason": "Broken"})
    found = RefundRequest.objects.get()
    client.force_login(SellerFactory())
    assert "Broken" not in text(client.get("/admin/commerce/refundrequest/"))
    assert client.post(admin_url("approve", found)).status_code == 404
    assert client.post(admin_url("decline", found)).status_code == 404
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.OPEN


def test_staff_decide_any_request(client, purchase):
    client.post(request_url(purchase), {"reason": "Broken"})
    found = RefundRequest.objects.get()
    client.force_login(StaffFactory())
    assert client.post(admin_url("decline", found), {"note": ""}).status_code == 302
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.DECLINED


def test_the_library_asks_no_query_per_row(
    client, buyer, django_assert_max_num_queries
):
    from commerce.tests.factories import PurchasedProductFactory

    client.force_login(buyer)
    PurchasedProductFactory(order__user=buyer)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("accounts:products"))
    for _ in range(5):
        PurchasedProductFactory(order__user=buyer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = text(client.get(reverse("accounts:products")))
    assert body.count("Request a refund") == 6


def test_staff_refunding_the_order_closes_the_open_request_and_the_buyer_is_told_once(
    client, purchase, product, django_capture_on_commit_callbacks
):
    client.post(request_url(purchase), {"reason": "Wrong file format"})
    found = RefundRequest.objects.get()
    client.force_login(StaffFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/commerce/orders/{purchase.order_id}/refund/")
    assert response.status_code == 302
    assert Order.objects.get(pk=purchase.order_id).status == OrderStatus.REFUNDED
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.CLOSED
    assert found.decided_at is not None and found.decided_by is None
    assert "refunded in full" in found.decision_note
    # One e-mail, the refund's own: no "approved" or "declined" on top of it.
    (message,) = mail.outbox
    assert message.subject.startswith("Refund for “Pattern Pack”")
    assert message.to == [purchase.user.email]

    # The seller has nothing left to decide: no buttons, a decision is refused.
    client.force_login(product.seller)
    listing = text(client.get("/admin/commerce/refundrequest/"))
    assert admin_url("approve", found) not in listing
    assert 'data-status="closed">Closed: refunded another way<' in listing
    response = client.post(admin_url("approve", found), follow=True)
    assert "already closed" in text(response)
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.CLOSED
    assert len(mail.outbox) == 1


def test_a_refund_from_dodos_dashboard_closes_the_open_request(
    client, purchase, django_capture_on_commit_callbacks
):
    from commerce.dodo import client as dodo
    from commerce.dodo.sandbox.events import delivered_at_once

    client.post(request_url(purchase), {"reason": "Never downloaded"})
    found = RefundRequest.objects.get()
    payment_id = Order.objects.get(pk=purchase.order_id).dodo_payment_id
    sandbox.refund_plan_set(payment_id, "succeeded")
    mail.outbox.clear()
    # The merchant refunds in Dodo's dashboard; its refund.succeeded webhook
    # is the shop's only news of it.
    with django_capture_on_commit_callbacks(execute=True), delivered_at_once():
        dodo.refund_create(payment_id=payment_id, reason="dashboard")
    assert Order.objects.get(pk=purchase.order_id).status == OrderStatus.REFUNDED
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.CLOSED
    assert [m.subject for m in mail.outbox] == [
        f"Refund for “Pattern Pack”: $25.00 (order #{purchase.order_id})"
    ]
    # The library no longer lists the purchase, so no second request either.
    assert request_url(purchase) not in text(client.get(reverse("accounts:products")))


def test_a_partial_refund_leaves_the_request_open_and_a_lost_dispute_closes_it(
    client, purchase
):
    from commerce.services.payments import RefundFacts
    from commerce.services.refunds import order_record_refund

    client.post(request_url(purchase), {"reason": "Half of it is missing"})
    found = RefundRequest.objects.get()
    order = Order.objects.get(pk=purchase.order_id)
    order_record_refund(
        order_id=order.pk,
        refund=RefundFacts(
            refund_id="rf_partial", payment_id=order.dodo_payment_id,
            status="succeeded", amount=500, currency="USD", is_partial=True,
        ),
    )  # fmt: skip
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.OPEN  # the seller still decides

    sandbox.dispute(Order.objects.get(pk=purchase.order_id).dodo_payment_id, "opened")
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.OPEN
    sandbox.dispute(Order.objects.get(pk=purchase.order_id).dodo_payment_id, "lost")
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.CLOSED
    assert "dispute lost" in found.decision_note


def test_the_requests_screen_shows_statuses_as_the_one_labels(client, purchase):
    client.post(request_url(purchase), {"reason": "Broken"})
    client.force_login(StaffFactory())
    listing = text(client.get("/admin/commerce/refundrequest/"))
    assert (
        '<span class="status-label status-label--warn" data-status="open">'
        "Waiting for the seller</span>"
    ) in listing


def test_an_approval_whose_refund_fails_at_dodo_is_open_again(
    client, purchase, product, django_capture_on_commit_callbacks
):
    from commerce.dodo.sandbox.events import delivered_at_once

    client.post(request_url(purchase), {"reason": "Broken"})
    found = RefundRequest.objects.get()
    payment_id = Order.objects.get(pk=purchase.order_id).dodo_payment_id
    # Dodo takes the refund (pending), then reports refund.failed.
    sandbox.refund_plan_set(payment_id, "failed")
    client.force_login(product.seller)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), delivered_at_once():
        client.post(admin_url("approve", found))
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.OPEN
    assert "failed at Dodo" in found.refund_error
    assert found.decided_by is None
    assert Order.objects.get(pk=purchase.order_id).status == OrderStatus.PAID
    assert PurchasedProduct.objects.active().filter(pk=purchase.pk).exists()
    listing = text(client.get("/admin/commerce/refundrequest/"))
    assert admin_url("approve", found) in listing and "failed at Dodo" in listing
    assert [m.subject for m in mail.outbox] == [
        f"Your refund request for “Pattern Pack” was approved "
        f"(order #{purchase.order_id})"
    ]

    # Approved again, the refund goes through; the buyer hears of the refund,
    # not of a second approval.
    sandbox.refund_plan_set(payment_id, "succeeded")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(admin_url("approve", found))
    found.refresh_from_db()
    assert found.status == RefundRequestStatus.APPROVED
    assert Order.objects.get(pk=purchase.order_id).status == OrderStatus.REFUNDED
    assert [m.subject for m in mail.outbox] == [
        f"Refund for “Pattern Pack”: $25.00 (order #{purchase.order_id})"
    ]
