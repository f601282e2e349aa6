"""CompiledQuery: a queryset compiled once, run again with new values, its rows the
instances the queryset itself would give."""

import re

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commerce.models import Order, PurchasedProduct, WebhookEvent, WebhookOutcome
from commerce.services import orders
from commerce.tests.factories import OrderFactory, PaidOrderFactory
from site_config.compiled import CompiledQuery


def _loaded(instance) -> dict:
    """Every column the instance holds (not deferred), and their values."""
    deferred = instance.get_deferred_fields()
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in deferred
    }


def _events(*rows: tuple[str, str, str]) -> None:
    for webhook_id, payment_id, outcome in rows:
        WebhookEvent.objects.create(
            webhook_id=webhook_id,
            dodo_payment_id=payment_id,
            outcome=WebhookOutcome(outcome),
        )


@pytest.mark.django_db(transaction=True)
def test_the_order_lock_gives_what_the_queryset_gives_for_each_order():
    paid = PaidOrderFactory(dodo_refund_ids=["rfd_1", "rfd_2"], discount_codes="X")
    pending = OrderFactory()
    for order in (paid, pending, paid):
        with transaction.atomic():
            compiled = orders._locked(order.pk)
            expected = orders._LOCK.build(order.pk).get()
        assert type(compiled) is Order
        # Every column, converted as Django converts it (the JSON list, times).
        assert _loaded(compiled) == _loaded(expected)
        assert compiled.dodo_refund_ids == expected.dodo_refund_ids
        assert compiled._state.db == "default" and not compiled._state.adding
        # The product as select_related().only() loads it: these columns only.
        assert _loaded(compiled.product) == _loaded(expected.product)
        assert compiled.product.get_deferred_fields() == (
            expected.product.get_deferred_fields()
        )
    assert _loaded(paid)["dodo_refund_ids"] == ["rfd_1", "rfd_2"]


@pytest.mark.django_db(transaction=True)
def test_the_payments_lock_says_what_the_queryset_says_of_a_live_grant():
    paid = PaidOrderFactory()
    PurchasedProduct.objects.create(user=paid.user, product=paid.product, order=paid)
    again = OrderFactory(user=paid.user, product=paid.product)
    revoked = PaidOrderFactory()
    PurchasedProduct.objects.create(
        user=revoked.user,
        product=revoked.product,
        order=revoked,
        revoked_at=timezone.now(),
    )
    for order, owns in ((paid, True), (again, True), (revoked, False)):
        with transaction.atomic():
            compiled = orders._locked(order.pk, orders._LOCK_TO_GRANT)
            expected = orders._LOCK_TO_GRANT.build(order.pk).get()
        assert compiled.owns_already is expected.owns_already is owns
        assert _loaded(compiled) == _loaded(expected)


@pytest.mark.django_db(transaction=True)
def test_the_order_lock_is_one_statement_locking_the_order_and_none_after_it():
    other, order = OrderFactory(), OrderFactory()
    with transaction.atomic():
        orders._locked(other.pk)  # compiled by now, with another order's id
        with CaptureQueriesContext(connection) as captured:
            locked = orders._locked(order.pk)
            assert locked.pk == order.pk
            assert locked.product.dodo_product_id == order.product.dodo_product_id
            assert locked.product.seller_id == order.product.seller_id
            assert locked.product.pk == order.product_id
    (statement,) = captured.captured_queries
    locks = "FOR UPDATE" in statement["sql"]
    assert locks == connection.features.has_select_for_update  # not on SQLite
    # The caller's value, not the one it was compiled with.
    assert re.search(rf'"commerce_order"\."id" = {order.pk}\b', statement["sql"])
    assert "ORDER BY" not in statement["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_missing_order_is_does_not_exist_and_a_lock_needs_a_transaction():
    with transaction.atomic():
        for missing in (2_000_000_000, 2**63, -(2**63) - 1, 0):
            # Out of the column's range too: no row, as Django answers, and
            # nothing sent to the database.
            with CaptureQueriesContext(connection) as captured:
                with pytest.raises(Order.DoesNotExist):
                    orders._locked(missing)
            assert len(captured) == (1 if abs(missing) < 2**63 else 0)
    order = OrderFactory()
    if connection.features.has_select_for_update:  # Django refuses it there
        with pytest.raises(TransactionManagementError):
            orders._locked(order.pk)
    else:
        assert orders._locked(order.pk).pk == order.pk


@pytest.mark.django_db
def test_the_deferred_events_check_finds_a_payments_deferred_events_only():
    from commerce.dodo.webhooks import _DEFERRED_ONE

    _events(("a", "pay_1", "deferred"), ("b", "pay_2", "processed"))
    assert len(_DEFERRED_ONE.rows("pay_1")) == 1
    assert _DEFERRED_ONE.rows("pay_2") == []
    assert _DEFERRED_ONE.rows("") == []


@pytest.mark.django_db
def test_rows_annotations_and_constants_stay_in_their_places():
    _events(
        ("a", "pay_1", "deferred"),
        ("b", "pay_1", "processed"),
        ("c", "pay_2", "deferred"),
    )
    by_payment = CompiledQuery(
        lambda payment_id, outcome: (
            WebhookEvent.objects.filter(dodo_payment_id=payment_id, outcome=outcome)
            .annotate(twice=F("attempts") * 2)
            .order_by("webhook_id")
        ),
        str,
        str,
    )
    # The arguments go where they were given, in either order of use.
    assert [e.webhook_id for e in by_payment.instances("pay_1", "deferred")] == ["a"]
    assert [e.webhook_id for e in by_payment.instances("pay_1", "processed")] == ["b"]
    assert [e.webhook_id for e in by_payment.instances("pay_2", "deferred")] == ["c"]
    assert by_payment.instances("pay_3", "deferred") == []
    (event,) = by_payment.instances("pay_1", "deferred")
    assert event.twice == 2 * event.attempts
    assert event.outcome == WebhookOutcome.DEFERRED
    # A constant of the query (the outcome here) stays as compiled.
    deferred = CompiledQuery(
        lambda payment_id: WebhookEvent.objects.filter(
            dodo_payment_id=payment_id, outcome=WebhookOutcome.DEFERRED
        ).values_list("webhook_id", "payload"),
        str,
    )
    assert deferred.rows("pay_1") == [("a", None)]
    assert deferred.rows("pay_2") == [("c", None)]
    with pytest.raises(TypeError):
        deferred.instances("pay_1")
    with pytest.raises(TypeError):
        deferred.rows()
    with pytest.raises(TypeError, match="expected arguments of types"):
        deferred.rows(1)  # Django converts a value; this SQL takes it as it is


@pytest.mark.django_db
def test_an_argument_django_changes_on_the_way_is_refused_not_run():
    WebhookEvent.objects.create(webhook_id="a", dodo_payment_id="pay_1")
    contains = CompiledQuery(
        lambda part: WebhookEvent.objects.filter(dodo_payment_id__contains=part), str
    )
    with pytest.raises(ValueError, match="do not reach the compiled SQL"):
        contains.instances("pay")


@pytest.mark.django_db
def test_a_stand_in_django_finds_out_of_range_is_refused_clearly():
    positive = CompiledQuery(lambda amount: Order.objects.filter(amount=amount), int)
    with pytest.raises(ValueError, match="make the query empty"):
        positive.instances(5)
