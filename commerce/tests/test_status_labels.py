"""One colour rule for order statuses; declined attempts fold under the paid order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductPageFactory
from commerce.models import OrderStatus
from commerce.status_labels import order_outcome_verb, order_status_label
from commerce.tests.factories import OrderFactory, PaidOrderFactory


@pytest.mark.parametrize(
    ("status", "text", "tone"),
    [
        (OrderStatus.PAID, "Paid", "ok"),
        (OrderStatus.FAILED, "Declined", "error"),
        (OrderStatus.PENDING, "Pending", "warn"),
        (OrderStatus.REFUND_PENDING, "Refund pending", "warn"),
        (OrderStatus.PARTIALLY_REFUNDED, "Partially refunded", "warn"),
        (OrderStatus.DISPUTED, "Disputed", "warn"),
        (OrderStatus.REFUNDED, "Refunded", "muted"),
        (OrderStatus.CANCELLED, "Cancelled", "muted"),
    ],
)
def test_every_status_has_its_words_and_tone(status, text, tone):
    label = order_status_label(status)
    assert (label.text, label.tone) == (text, tone)
    assert label.css_class == f"status-label status-label--{tone}"


def test_every_model_status_is_covered_and_paid_alone_is_green():
    greens = [s for s in OrderStatus.values if order_status_label(s).tone == "ok"]
    assert greens == [OrderStatus.PAID]
    assert order_status_label("something_new").text == "Something new"
    assert order_outcome_verb(OrderStatus.FAILED) == "declined"
    assert order_outcome_verb(OrderStatus.CANCELLED) == "cancelled"


def _at(order, minutes_ago):
    type(order).objects.filter(pk=order.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return order


@pytest.mark.django_db
def test_declined_attempts_fold_under_the_paid_order(client):
    buyer = UserFactory()
    product = ProductPageFactory(price=1700, currency="USD")
    other = ProductPageFactory(price=900, currency="USD")
    first = _at(OrderFactory(user=buyer, product=product, status="failed"), 30)
    second = _at(OrderFactory(user=buyer, product=product, status="failed"), 20)
    _at(OrderFactory(user=buyer, product=product, status="cancelled"), 15)
    paid = _at(PaidOrderFactory(user=buyer, product=product), 10)
    # A decline with no later charge stays a row of its own, in red.
    lone = _at(OrderFactory(user=buyer, product=other, status="failed"), 5)

    client.force_login(buyer)
    response = client.get("/account/orders/")
    rows = {row.order_id: row for row in response.context["billing_rows"]}
    assert set(rows) == {paid.pk, lone.pk}
    assert first.pk not in rows and second.pk not in rows
    assert rows[paid.pk].declined_attempts == 3
    assert rows[lone.pk].declined_attempts == 0
    html = response.content.decode()
    assert "3 declined attempts" in html
    assert (
        '<span class="status-label status-label--ok billing__status" '
        'data-status="paid">Paid</span>'
    ) in html
    assert (
        '<span class="status-label status-label--error billing__status" '
        'data-status="failed">Declined</span>'
    ) in html


@pytest.mark.django_db
def test_the_decline_page_says_declined(client):
    order = OrderFactory(status=OrderStatus.FAILED)
    client.force_login(order.user)
    html = client.get(f"/checkout/return/{order.pk}/").content.decode()
    assert "was declined. You have not been charged." in html
    assert "was failed" not in html


def test_records_around_orders_use_the_same_labels_and_tones():
    from types import SimpleNamespace

    from commerce.refund_requests.models import RefundRequestStatus
    from commerce.status_labels import (
        access_label,
        label_html,
        refund_request_label,
        support_status_label,
    )
    from support.models import SupportStatus

    for status in SupportStatus:
        assert support_status_label(status.value, status.label).tone in {
            "ok", "warn", "error", "muted"
        }  # fmt: skip
    assert support_status_label("NEW", "New").tone == "warn"
    assert support_status_label("IN_PROGRESS", "In progress").tone == "ok"
    assert support_status_label("COMPLETED", "Completed").tone == "muted"
    assert [
        refund_request_label(s.value, s.label).tone for s in RefundRequestStatus
    ] == ["warn", "ok", "muted", "muted"]
    grant = SimpleNamespace(revoked_at=None, suspended_at=timezone.now())
    assert label_html(access_label(grant), attribute="access") == (
        '<span class="status-label status-label--warn" data-access="suspended">'
        "Suspended</span>"
    )
    assert label_html(support_status_label("NEW", "<New>")) == (
        '<span class="status-label status-label--warn" data-status="NEW">'
        "&lt;New&gt;</span>"
    )
