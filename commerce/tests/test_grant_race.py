"""Two orders of one buyer for one product, paid at the same moment.

The first grant is one INSERT, without a savepoint, when the order's lock found
no live grant (orders.purchase_grant). A grant that another transaction commits
between that lock and the insert makes the insert fail and aborts the payment's
transaction: the webhook, and reconciliation on its own, act once more, see the
other grant and flag the order as "already owned", as a buyer paying twice in a
row gets. Real PostgreSQL transactions, on two connections.
"""

import threading

import pytest
from django.db import connection

from commerce.dodo import webhooks
from commerce.dodo.payloads import payment_facts
from commerce.models import Order, OrderStatus, PurchasedProduct, WebhookEvent
from commerce.services import orders
from commerce.tests.conftest import (
    WEBHOOK_URL,
    deliver_counting_statements,
    payment_data,
    signed,
)
from commerce.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_orders(requires_postgres):
    """Order ``first`` and ``second``: one buyer, one product (with a Dodo id)."""
    from catalog.models import ProductPage

    first = OrderFactory(dodo_checkout_session_id="cks_first")
    second = OrderFactory(
        user=first.user, product=first.product, dodo_checkout_session_id="cks_second"
    )
    ProductPage.objects.filter(pk=first.product_id).update(dodo_product_id="pdt_test")
    first.product.dodo_product_id = second.product.dodo_product_id = "pdt_test"
    return first, second


@pytest.fixture
def grant_committed_meanwhile(monkeypatch):
    """While a payment holds its order's lock (after the lock, before the grant),
    another transaction commits a grant of the same product to the same buyer,
    through ``order``: once, after letting ``pass`` payments through."""
    real = orders._with_our_discounts
    state = {"order": None, "done": False, "pass": 0}

    def meanwhile(order, payment):
        if state["pass"]:
            state["pass"] -= 1
        elif not state["done"]:
            state["done"] = True
            other = state["order"]

            def commit_elsewhere():
                try:
                    PurchasedProduct.objects.create(
                        user_id=other.user_id, product_id=other.product_id, order=other
                    )
                finally:
                    connection.close()

            thread = threading.Thread(target=commit_elsewhere)
            thread.start()
            thread.join(10)
        return real(order, payment)

    monkeypatch.setattr(orders, "_with_our_discounts", meanwhile)
    return state


def test_the_first_grant_is_one_insert_without_a_savepoint(client, two_orders):
    first, _ = two_orders
    response, statements = deliver_counting_statements(
        client, "payment.succeeded", payment_data(first, payment_id="pay_a")
    )
    assert response.status_code == 200
    # Outside a test's transaction the payment's is the only one: no savepoint.
    assert not [sql for sql in statements if "SAVEPOINT" in sql]
    assert PurchasedProduct.objects.get().order_id == first.pk


def test_a_grant_committed_during_the_payment_flags_it_without_a_500(
    client, two_orders, grant_committed_meanwhile
):
    first, second = two_orders
    grant_committed_meanwhile["order"] = first
    body, headers = signed(
        "payment.succeeded", payment_data(second, payment_id="pay_b")
    )
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    assert grant_committed_meanwhile["done"]
    # One live grant, the other order's; this one is paid and flagged for a refund.
    assert [g.order_id for g in PurchasedProduct.objects.all()] == [first.pk]
    second.refresh_from_db()
    assert second.status == OrderStatus.PAID
    assert "already owned" in second.review_reason
    event = WebhookEvent.objects.get()
    assert (event.outcome, event.attempts, event.order_id) == (
        "flagged",
        1,
        second.pk,
    )


def test_reconciliation_on_its_own_applies_the_payment_again(
    two_orders, grant_committed_meanwhile
):
    first, second = two_orders
    grant_committed_meanwhile["order"] = first
    facts = payment_facts(payment_data(second, payment_id="pay_r"))
    assert not connection.in_atomic_block
    assert webhooks.payment_apply(order_id=second.pk, payment=facts) == orders.FLAGGED
    assert [g.order_id for g in PurchasedProduct.objects.all()] == [first.pk]
    assert "already owned" in Order.objects.get(pk=second.pk).review_reason


def test_a_failed_event_redelivered_meanwhile_is_flagged_too(
    client, two_orders, grant_committed_meanwhile, monkeypatch
):
    first, second = two_orders
    body, headers = signed(
        "payment.succeeded", payment_data(second, payment_id="pay_c")
    )
    real = orders.order_paid_notices_queue

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(orders, "order_paid_notices_queue", broken)
    grant_committed_meanwhile["done"] = True  # not on the failing delivery
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 500
    assert WebhookEvent.objects.get().outcome == "failed"
    # Dodo's retry: a first pass (its insert of the known event undoes it), then
    # the recorded event acted on again under its row lock, where the other
    # order's grant commits.
    monkeypatch.setattr(orders, "order_paid_notices_queue", real)
    grant_committed_meanwhile.update(order=first, done=False, **{"pass": 1})
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    assert grant_committed_meanwhile["done"]
    assert [g.order_id for g in PurchasedProduct.objects.all()] == [first.pk]
    assert "already owned" in Order.objects.get(pk=second.pk).review_reason
    assert WebhookEvent.objects.get().outcome == "flagged"
