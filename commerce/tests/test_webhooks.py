import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commerce.models import OrderStatus, PurchasedProduct, WebhookEvent, WebhookOutcome
from commerce.tests.conftest import (
    WEBHOOK_URL,
    deliver,
    deliver_counting_statements,
    dispute_data,
    payment_data,
    refund_data,
    signed,
)
from commerce.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def _state(order):
    order.refresh_from_db()
    grants = list(
        PurchasedProduct.objects.filter(order=order).values_list(
            "revoked_at", "suspended_at"
        )
    )
    return (
        order.status,
        order.is_paid,
        order.dodo_payment_id,
        [(r is not None, s is not None) for r, s in grants],
    )


# --- signatures ---------------------------------------------------------------


def test_missing_signature_headers_are_refused_without_a_row(client, synced_order):
    response = client.post(WEBHOOK_URL, data=b"{}", content_type="application/json")
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("case", ["forged", "stale", "other_secret", "tampered"])
def test_bad_signatures_are_refused_without_a_row(client, synced_order, case):
    data = payment_data(synced_order)
    if case == "forged":
        body, headers = signed("payment.succeeded", data)
        headers["webhook-signature"] = "v1,Zm9yZ2VkLXNpZ25hdHVyZS1ieXRlcw=="
    elif case == "stale":
        old = datetime.now(tz=UTC) - timedelta(minutes=10)
        body, headers = signed("payment.succeeded", data, sent_at=old)
    elif case == "other_secret":
        body, headers = signed(
            "payment.succeeded", data, key="whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldA=="
        )
    else:
        body, headers = signed("payment.succeeded", data)
        body = body.replace('"pay_1"', '"pay_2"')
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert not WebhookEvent.objects.exists()
    assert not PurchasedProduct.objects.exists()
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING


# --- payment events -----------------------------------------------------------


def test_payment_succeeded_marks_paid_and_grants(client, synced_order):
    response = deliver(client, "payment.succeeded", payment_data(synced_order))
    assert response.status_code == 200
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PAID
    assert synced_order.is_paid
    assert synced_order.dodo_payment_id == "pay_1"
    assert synced_order.total_amount == synced_order.amount
    assert synced_order.tax_amount == 0
    grant = PurchasedProduct.objects.get()
    assert (grant.user_id, grant.product_id, grant.order_id) == (
        synced_order.user_id,
        synced_order.product_id,
        synced_order.pk,
    )
    event = WebhookEvent.objects.get()
    assert event.outcome == WebhookOutcome.PROCESSED
    assert event.order_id == synced_order.pk
    assert event.processed_at is not None


def test_redelivery_is_acknowledged_and_changes_nothing(client, synced_order):
    body, headers = signed("payment.succeeded", payment_data(synced_order))
    for _ in range(3):
        response = client.post(
            WEBHOOK_URL, data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 200
    assert WebhookEvent.objects.count() == 1
    assert WebhookEvent.objects.get().attempts == 1
    assert PurchasedProduct.objects.count() == 1


def test_same_payment_under_new_webhook_ids_grants_once(client, synced_order):
    for n in range(3):
        deliver(
            client,
            "payment.succeeded",
            payment_data(synced_order),
            webhook_id=f"msg_{n}",
        )
    assert WebhookEvent.objects.count() == 3
    assert PurchasedProduct.objects.count() == 1


@pytest.mark.parametrize(
    ("event_type", "status"),
    [("payment.failed", OrderStatus.FAILED), ("payment.cancelled", "cancelled")],
)
def test_failed_and_cancelled_payments_grant_nothing(
    client, synced_order, event_type, status
):
    data = payment_data(synced_order, status=event_type.split(".")[1])
    assert deliver(client, event_type, data).status_code == 200
    synced_order.refresh_from_db()
    assert synced_order.status == status
    assert not synced_order.is_paid
    assert not PurchasedProduct.objects.exists()


def test_late_failure_does_not_undo_a_paid_order(client, synced_order):
    deliver(client, "payment.succeeded", payment_data(synced_order))
    deliver(client, "payment.failed", payment_data(synced_order, status="failed"))
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PAID
    assert PurchasedProduct.objects.active().count() == 1


def test_success_after_a_declined_attempt_pays_the_order(client, synced_order):
    deliver(
        client,
        "payment.failed",
        payment_data(synced_order, payment_id="pay_a", status="failed"),
    )
    deliver(client, "payment.succeeded", payment_data(synced_order, payment_id="pay_b"))
    assert _state(synced_order) == ("paid", True, "pay_b", [(False, False)])


def test_payment_for_another_product_grants_nothing_and_is_flagged(
    client, synced_order
):
    data = payment_data(synced_order, product_id="pdt_someone_else")
    assert deliver(client, "payment.succeeded", data).status_code == 200
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING
    assert not synced_order.is_paid
    assert "pdt_someone_else" in synced_order.review_reason
    assert not PurchasedProduct.objects.exists()
    assert WebhookEvent.objects.get().outcome == WebhookOutcome.FLAGGED


def test_payment_settled_in_another_currency_is_flagged(client, synced_order):
    data = payment_data(synced_order, currency="EUR", settlement_currency="EUR")
    deliver(client, "payment.succeeded", data)
    assert not PurchasedProduct.objects.exists()
    assert WebhookEvent.objects.get().outcome == WebhookOutcome.FLAGGED


def test_malformed_json_is_a_400_and_recorded(client, synced_order):
    response = deliver(client, "payment.succeeded", None, body="{not json")
    assert response.status_code == 400
    event = WebhookEvent.objects.get()
    assert event.outcome == WebhookOutcome.REJECTED
    assert event.body == "{not json"
    assert "Malformed" in event.error


def test_missing_metadata_is_a_foreign_payment_acknowledged(client, synced_order):
    data = payment_data(synced_order)
    del data["metadata"]
    response = deliver(client, "payment.succeeded", data)
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.outcome == WebhookOutcome.FOREIGN
    assert not PurchasedProduct.objects.exists()


def test_unknown_event_types_are_acknowledged(client, synced_order):
    response = deliver(client, "payout.success", {"payout_id": "po_1"})
    assert response.status_code == 200
    assert WebhookEvent.objects.get().outcome == WebhookOutcome.IGNORED


def test_unexpected_error_answers_500_keeps_the_event_and_retry_heals(
    client, synced_order, monkeypatch
):
    from commerce.services import orders

    real = orders.purchase_grant

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(orders, "purchase_grant", broken)
    body, headers = signed("payment.succeeded", payment_data(synced_order))
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 500
    event = WebhookEvent.objects.get()
    assert event.outcome == WebhookOutcome.FAILED
    assert "database hiccup" in event.error
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PENDING  # rolled back as a whole

    monkeypatch.setattr(orders, "purchase_grant", real)
    response = client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    assert PurchasedProduct.objects.count() == 1
    assert WebhookEvent.objects.get().outcome == WebhookOutcome.PROCESSED


def test_buyer_who_already_owns_the_product_is_flagged_not_granted_twice(
    client, synced_order
):
    first = OrderFactory(
        user=synced_order.user,
        product=synced_order.product,
        dodo_checkout_session_id="cks_first",
    )
    deliver(
        client,
        "payment.succeeded",
        {**payment_data(first, payment_id="pay_first"), "checkout_session_id": None},
    )
    deliver(client, "payment.succeeded", payment_data(synced_order, payment_id="pay_2"))
    assert PurchasedProduct.objects.count() == 1
    synced_order.refresh_from_db()
    assert synced_order.is_paid
    assert "already owned" in synced_order.review_reason


# --- refunds and disputes ------------------------------------------------------


def test_full_refund_revokes_access(client, synced_order):
    deliver(client, "payment.succeeded", payment_data(synced_order))
    deliver(client, "refund.succeeded", refund_data("pay_1"))
    assert _state(synced_order) == ("refunded", True, "pay_1", [(True, False)])
    assert not PurchasedProduct.objects.active().exists()


def test_partial_refund_is_recorded_and_keeps_access(client, synced_order):
    deliver(client, "payment.succeeded", payment_data(synced_order))
    deliver(
        client, "refund.succeeded", refund_data("pay_1", amount=500, is_partial=True)
    )
    # The same refund replayed under a new webhook-id is not counted twice.
    deliver(
        client, "refund.succeeded", refund_data("pay_1", amount=500, is_partial=True)
    )
    synced_order.refresh_from_db()
    assert synced_order.status == OrderStatus.PARTIALLY_REFUNDED
    assert synced_order.refunded_amount == 500
    assert PurchasedProduct.objects.active().count() == 1


def test_refund_before_its_payment_reaches_the_same_state(client, synced_order):
    in_order = OrderFactory(dodo_checkout_session_id="cks_x")
    in_order.product.dodo_product_id = ""
    deliver(client, "payment.succeeded", payment_data(in_order, payment_id="pay_a"))
    deliver(client, "refund.succeeded", refund_data("pay_a"))

    response = deliver(client, "refund.succeeded", refund_data("pay_1"))
    assert response.status_code == 200
    assert WebhookEvent.objects.get(dodo_payment_id="pay_1").outcome == "deferred"
    deliver(client, "payment.succeeded", payment_data(synced_order))

    assert _state(synced_order)[0::3] == _state(in_order)[0::3]
    assert _state(synced_order) == ("refunded", True, "pay_1", [(True, False)])
    assert not WebhookEvent.objects.filter(outcome="deferred").exists()


def test_dispute_opened_suspends_won_restores(client, synced_order):
    deliver(client, "payment.succeeded", payment_data(synced_order))
    deliver(client, "dispute.opened", dispute_data("pay_1", "dispute_opened"))
    assert _state(synced_order) == ("disputed", True, "pay_1", [(False, True)])
    assert not PurchasedProduct.objects.active().exists()
    deliver(client, "dispute.won", dispute_data("pay_1", "dispute_won"))
    assert _state(synced_order) == ("paid", True, "pay_1", [(False, False)])


def test_dispute_lost_revokes_and_is_final(client, synced_order):
    deliver(client, "payment.succeeded", payment_data(synced_order))
    deliver(client, "dispute.lost", dispute_data("pay_1", "dispute_lost"))
    # A stale "opened" delivered after the loss changes nothing.
    deliver(client, "dispute.opened", dispute_data("pay_1", "dispute_opened"))
    assert _state(synced_order) == ("disputed", True, "pay_1", [(True, False)])


def test_dispute_before_payment_is_applied_after_it(client, synced_order):
    deliver(client, "dispute.opened", dispute_data("pay_1", "dispute_opened"))
    deliver(client, "payment.succeeded", payment_data(synced_order))
    assert _state(synced_order) == ("disputed", True, "pay_1", [(False, True)])


# --- query budget ---------------------------------------------------------------


def _queries_for_one_success(client):
    order = OrderFactory(dodo_checkout_session_id="cks_q")
    order.product.dodo_product_id = ""
    data = payment_data(order, payment_id=f"pay_q{order.pk}")
    body, headers = signed("payment.succeeded", data)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            WEBHOOK_URL, data=body, content_type="application/json", headers=headers
        )
    assert response.status_code == 200
    assert PurchasedProduct.objects.filter(order=order).exists()
    return len(ctx.captured_queries)


def test_webhook_uses_a_fixed_number_of_queries(client):
    small = _queries_for_one_success(client)
    for _ in range(5):
        _queries_for_one_success(client)
    large = _queries_for_one_success(client)
    # One transaction (a savepoint in a test, 2): lock the order (which also
    # says the buyer holds no live grant of the product), update it, insert the
    # grant (no savepoint of its own), the outbox row of the notices' task, the
    # deferred-event lookup, insert the event with its outcome, 6. On PostgreSQL
    # one more: the advisory lock that serialises a payment's events.
    expected = 8 + (connection.vendor == "postgresql")
    assert small == large == expected


def test_the_payments_statements_are_prepared_after_two_payments(
    client, requires_postgres
):
    """site_config.prepared: the order lock (by key) is parsed and planned once."""
    for n in range(2):
        order = OrderFactory(dodo_checkout_session_id=f"cks_p{n}")
        body, headers = signed(
            "payment.succeeded", payment_data(order, payment_id=f"pay_p{n}")
        )
        response = client.post(
            WEBHOOK_URL, data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 200
        assert PurchasedProduct.objects.filter(order=order).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    locks = [s for s in prepared if 'FROM "commerce_order"' in s and "FOR UPDATE" in s]
    assert len(locks) == 1
    # The order's id bound by the server ($2 after the grant check's constant).
    assert re.search(r'WHERE "commerce_order"."id" = \$\d+ FOR UPDATE', locks[0])
    # The rest of the request, and the next one, plan for their own values.
    assert connection.connection.prepare_threshold is None


def test_redelivery_query_budget(client, synced_order, django_assert_num_queries):
    body, headers = signed("payment.succeeded", payment_data(synced_order))
    client.post(
        WEBHOOK_URL, data=body, content_type="application/json", headers=headers
    )
    # The order's lock (paid already: nothing to do), the deferred-event lookup,
    # the refused insert and the lookup, plus the savepoint statements around it;
    # on PostgreSQL the payment's advisory lock too.
    with django_assert_num_queries(7 + (connection.vendor == "postgresql")):
        client.post(
            WEBHOOK_URL, data=body, content_type="application/json", headers=headers
        )


def test_the_delivery_is_recorded_in_the_payment_transaction(client, requires_postgres):
    """The event is inserted once, with its outcome, in the grant's transaction
    (its last write), and commits with it, waiting for disk."""
    order = OrderFactory(dodo_checkout_session_id="cks_d")
    response, statements = deliver_counting_statements(
        client, "payment.succeeded", payment_data(order, payment_id="pay_d")
    )
    assert response.status_code == 200
    record = next(
        n
        for n, sql in enumerate(statements)
        if sql.startswith('INSERT INTO "commerce_webhookevent"')
    )
    grant = next(
        n
        for n, sql in enumerate(statements)
        if sql.startswith('INSERT INTO "commerce_purchasedproduct"')
    )
    assert record > grant
    assert "'processed'" in statements[record]
    # No other write to the event, and the transaction ends right after it.
    assert not [
        sql for sql in statements if sql.startswith('UPDATE "commerce_webhookevent"')
    ]
    assert statements[record + 1].startswith("RELEASE SAVEPOINT")  # its commit, here
    assert not [sql for sql in statements[:record] if "synchronous_commit" in sql]
