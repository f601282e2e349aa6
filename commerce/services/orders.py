"""Order and access-grant state changes: atomic, idempotent, order row locked."""

from __future__ import annotations

from dataclasses import replace

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.panel_cache import panel_changed
from commerce.licenses.services import license_keys_follow_grant
from commerce.models import Order, OrderStatus, PurchasedProduct
from commerce.notices.services import order_paid_notices_queue
from site_config.compiled import CompiledQuery

from .payments import DiscountFacts, PaymentFacts, payment_mismatch

# Outcomes the webhook and reconciliation report back.
APPLIED = "applied"
UNCHANGED = "unchanged"
FLAGGED = "flagged"
NOT_FOUND = "not_found"  # the payment names an order this database does not hold


def payment_lock(payment_id: str) -> None:
    """Serialise everything that happens to one Dodo payment until commit.

    A payment and its refund or dispute can be delivered at the same moment; the
    refund must either see the recorded payment or be seen by it as deferred.
    PostgreSQL: a transaction-scoped advisory lock on the payment id. SQLite
    already lets one writer at a time through.
    """
    if payment_id and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"dodo-payment:{payment_id}"],
            )


# What the services read of the order's product: the payment rule and discounts
# (its Dodo id, its seller) and the dashboard's invalidation (its seller). Not the
# page's other columns, which would cost more to load than the rest of a webhook.
_PRODUCT_FIELDS = ("product__dodo_product_id", "product__seller_id")


def _lock_queryset(order_id) -> QuerySet:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("product")
        .only(*(f.name for f in Order._meta.concrete_fields), *_PRODUCT_FIELDS)
        .filter(pk=order_id)
        # A lookup by key: no ORDER BY to build or run.
        .order_by()
    )


# Every payment, refund and dispute locks its order first: compiled once per
# process (site_config.compiled), not once per event (~0.5 ms of CPU a time).
_LOCK = CompiledQuery(_lock_queryset, int)

# A payment's lock also says whether the buyer holds a live grant of the product
# already (another order's): the first grant, the hot path, is then one INSERT,
# without the savepoint (two more statements) that a refused insert needs.
_LOCK_TO_GRANT = CompiledQuery(
    lambda order_id: _lock_queryset(order_id).annotate(
        owns_already=Exists(
            PurchasedProduct.objects.filter(
                user_id=OuterRef("user_id"),
                product_id=OuterRef("product_id"),
                revoked_at__isnull=True,
            )
        )
    ),
    int,
)


def _locked(order_id: int, lock: CompiledQuery = _LOCK) -> Order:
    """The order, row-locked, with the product columns the services read."""
    order_id = int(order_id)  # as the ORM took "5" too
    low, high = connection.ops.integer_field_range(Order._meta.pk.get_internal_type())
    if not low <= order_id <= high:
        # No such row, as Django answers without asking (the database would
        # refuse the value, or scan every order comparing it as a numeric).
        raise Order.DoesNotExist(f"No order #{order_id}.")
    found = lock.instances(order_id)
    if not found:
        raise Order.DoesNotExist(f"No order #{order_id}.")
    return found[0]


def _locked_or_none(order_id: int, lock: CompiledQuery = _LOCK) -> Order | None:
    try:
        return _locked(order_id, lock)
    except Order.DoesNotExist:
        return None


@transaction.atomic
def order_create(*, user, product, billing: dict[str, str]) -> Order:
    """A pending, unpaid order at the product's current price, before Dodo is called."""
    return Order.objects.create(
        user=user,
        product=product,
        amount=product.effective_price,
        currency=product.currency,
        billing_country=billing.get("country", ""),
        billing_street=billing.get("street", ""),
        billing_city=billing.get("city", ""),
        billing_state=billing.get("state", ""),
        billing_zipcode=billing.get("zipcode", ""),
    )


@transaction.atomic
def order_attach_session(*, order_id: int, session_id: str) -> Order:
    order = _locked(order_id)
    order.dodo_checkout_session_id = session_id
    order.save(update_fields=["dodo_checkout_session_id", "updated_at"])
    return order


@transaction.atomic
def order_flag(*, order_id: int, reason: str) -> Order:
    """Mark an order for staff attention; grants nothing and changes no status."""
    order = _locked(order_id)
    _flag(order, reason)
    return order


def _flag(order: Order, reason: str) -> None:
    if reason not in order.review_reason:
        order.review_reason = f"{order.review_reason}\n{reason}".strip()
        order.save(update_fields=["review_reason", "updated_at"])


def _with_our_discounts(order: Order, payment: PaymentFacts):
    """The payment's discounts, those that are our codes described by our record.

    Dodo's own description of a discount may be partial (a bare ``discount_id``,
    a flat amount in another unit); the code we created says exactly what it
    takes off. A code of another seller takes nothing off this order's product,
    so a payment lowered by one is short and flagged. Returns the payment and
    the code (ours, of this product's seller) that Dodo applied, if any.
    """
    from commerce.discounts.selectors import discount_codes_by_dodo_ids

    ours = discount_codes_by_dodo_ids(
        dodo_ids=[d.discount_id for d in payment.discounts]
    )
    if not ours:
        return payment, None
    applied = None
    facts = []
    for found in payment.discounts:
        code = ours.get(found.discount_id)
        if code is None:
            facts.append(found)
            continue
        products = tuple(p.dodo_product_id for p in code.products.all())
        if code.seller_id != order.product.seller_id:
            products = ("not this seller's",)
        elif applied is None and order.product.dodo_product_id in products:
            applied = code
        facts.append(
            DiscountFacts(
                discount_id=found.discount_id,
                code=code.code,
                kind=code.kind,
                amount=code.basis_points
                if code.kind == "percentage"
                else code.amount_off,
                restricted_to=products,
            )
        )
    return replace(payment, discounts=tuple(facts)), applied


# What marking an order paid writes (one UPDATE of these, not of every column).
PAID_FIELDS = [
    "status", "is_paid", "paid_at", "dodo_payment_id", "total_amount",
    "paid_currency", "tax_amount", "settlement_amount", "settlement_currency",
    "discount_codes", "discount", "failure_reason", "updated_at",
]  # fmt: skip


# No savepoint of their own (two statements each): an error inside rolls back
# whatever transaction they run in, which is what every caller wants.
@transaction.atomic(savepoint=False)
def order_mark_paid(*, order_id: int, payment: PaymentFacts) -> str:
    """Mark the order paid with Dodo's figures and grant access, exactly once."""
    order = _locked_or_none(order_id, _LOCK_TO_GRANT)
    if order is None:
        return NOT_FOUND
    payment, discount = _with_our_discounts(order, payment)
    if order.paid_at is not None:
        if order.dodo_payment_id == payment.payment_id:
            return UNCHANGED
        _flag(order, f"second payment {payment.payment_id} for an already paid order")
        return FLAGGED
    reason = payment_mismatch(order, payment)
    if reason:
        _flag(order, f"payment {payment.payment_id} not granted: {reason}")
        return FLAGGED
    order.status = OrderStatus.PAID
    order.is_paid = True
    order.paid_at = timezone.now()
    order.dodo_payment_id = payment.payment_id
    # What the buyer paid, in their currency, and what the merchant is credited.
    order.total_amount = payment.total_amount
    order.paid_currency = payment.currency or order.currency
    order.tax_amount = payment.tax
    order.settlement_amount = payment.settlement_amount
    order.settlement_currency = payment.settlement_currency
    order.discount_codes = payment.discount_labels[:255]
    order.discount = discount
    order.failure_reason = ""
    order.save(update_fields=PAID_FIELDS)
    if purchase_grant(order=order) is None:
        _flag(order, "paid, but the buyer already owned the product: refund it")
        return FLAGGED
    order_paid_notices_queue(order=order)
    return APPLIED


@transaction.atomic(savepoint=False)
def order_mark_failed(*, order_id: int, status: str, reason: str) -> str:
    """Failed or cancelled; a paid order is never downgraded by a late failure."""
    order = _locked_or_none(order_id)
    if order is None:
        return NOT_FOUND
    if order.paid_at is not None or order.status == status:
        return UNCHANGED
    order.status = status
    order.failure_reason = reason[:2000]
    order.save(update_fields=["status", "failure_reason", "updated_at"])
    return APPLIED


def purchase_grant(*, order: Order) -> PurchasedProduct | None:
    """Create the grant for a paid order; None when another order already holds one.

    When the order's lock found no live grant of the product for the buyer
    (``owns_already``, the webhook's hot path), the grant is one INSERT. A grant
    another transaction commits in between then fails it with ``IntegrityError``,
    which aborts the caller's transaction: the webhook acts on the delivery once
    more (commerce.dodo.webhooks) and finds it. Otherwise it is inserted in a
    savepoint and looked up if the one-live-grant constraint refuses it: this
    order's own grant comes back as it is; another order's (the buyer owned it
    already) is None.
    """
    if getattr(order, "owns_already", None) is False:
        return PurchasedProduct.objects.create(
            user_id=order.user_id, product=order.product, order=order
        )
    try:
        with transaction.atomic():
            # The product object (loaded with the locked order) rather than its id,
            # so post_save receivers can read it without another query.
            return PurchasedProduct.objects.create(
                user_id=order.user_id, product=order.product, order=order
            )
    except IntegrityError:
        existing = PurchasedProduct.objects.filter(
            user_id=order.user_id, product_id=order.product_id, revoked_at__isnull=True
        ).first()
        return (
            existing if existing is not None and existing.order_id == order.pk else None
        )


@transaction.atomic
def purchase_revoke(*, order_id: int, reason: str) -> int:
    """Revoke the order's live grants; returns how many were revoked."""
    panel_changed(_locked(order_id).user_id)
    revoked = PurchasedProduct.objects.filter(
        order_id=order_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoke_reason=reason[:120])
    license_keys_follow_grant(order_id=order_id)
    return revoked


@transaction.atomic
def purchase_suspend(*, order_id: int) -> int:
    panel_changed(_locked(order_id).user_id)
    suspended = PurchasedProduct.objects.filter(
        order_id=order_id, revoked_at__isnull=True, suspended_at__isnull=True
    ).update(suspended_at=timezone.now())
    license_keys_follow_grant(order_id=order_id)
    return suspended


@transaction.atomic
def purchase_restore(*, order_id: int) -> int:
    panel_changed(_locked(order_id).user_id)
    restored = PurchasedProduct.objects.filter(
        order_id=order_id, revoked_at__isnull=True, suspended_at__isnull=False
    ).update(suspended_at=None)
    license_keys_follow_grant(order_id=order_id)
    return restored
