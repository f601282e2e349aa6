"""CompiledQuery: a queryset compiled once, run again with new values, its rows the
instances the queryset itself would give."""

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from commerce.models import Order, WebhookEvent, WebhookOutcome
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
def test_the_order_lock_is_one_statement_locking_the_order_and_none_after_it():
    order = OrderFactory()
    with transaction.atomic():
        orders._locked(order.pk)  # compiled by now, whatever ran before
        with CaptureQueriesContext(connection) as captured:
            locked = orders._locked(order.pk)
            assert locked.product.dodo_product_id == order.product.dodo_product_id
            assert locked.product.seller_id == order.product.seller_id
            assert locked.product.pk == order.product_id
    (statement,) = captured.captured_queries
    locks = "FOR UPDATE" in statement["sql"]
    assert locks == connection.features.has_select_for_update  # not on SQLite
    assert str(order.pk) in statement["sql"]  # the caller's value, not another's
    assert "ORDER BY" not in statement["sql"]


@pytest.mark.django_db(transaction=True)
def test_a_missing_order_is_does_not_exist_and_a_lock_needs_a_transaction():
    with transaction.atomic(), pytest.raises(Order.DoesNotExist):
        orders._locked(2_000_000_000)
    order = OrderFactory()
    with pytest.raises(TransactionManagementError):
        orders._locked(order.pk)


@pytest.mark.django_db
def test_rows_annotations_and_constants_stay_in_their_places():
    WebhookEvent.objects.create(
        webhook_id="a", dodo_payment_id="pay_1", outcome=WebhookOutcome.DEFERRED
    )
    WebhookEvent.objects.create(
        webhook_id="b", dodo_payment_id="pay_1", outcome=WebhookOutcome.PROCESSED
    )
    WebhookEvent.objects.create(
        webhook_id="c", dodo_payment_id="pay_2", outcome=WebhookOutcome.DEFERRED
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
