"""Discount codes: checked for a checkout, and mirrored to Dodo through the outbox.

A code is checked by our own rules first (whose it is, which products, when,
how often), then with Dodo, which applies it on the payment: a code Dodo does not
hold as we do is refused before the buyer is sent to pay.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commerce.money import format_money
from outbox.services import enqueue

from .models import DiscountCode, DiscountKind, DiscountSyncStatus
from .selectors import discount_code_by_code, discount_code_times_used


class DiscountRefused(ValueError):
    """The code cannot be used for this purchase; the message is for the buyer."""


@dataclass(frozen=True)
class DiscountQuote:
    """What a code does to one product's price, shown before the buyer pays."""

    discount: DiscountCode
    price: int
    discounted: int
    currency: str

    @property
    def saving(self) -> int:
        return self.price - self.discounted

    @property
    def price_text(self) -> str:
        return format_money(self.price, self.currency)

    @property
    def discounted_text(self) -> str:
        return format_money(self.discounted, self.currency)

    @property
    def saving_text(self) -> str:
        return format_money(self.saving, self.currency)


def discount_code_refusal(code: DiscountCode, product, *, now=None) -> str:
    """Why our own rules refuse ``code`` for ``product`` (a sentence), or ""."""
    now = now or timezone.now()
    if code.seller_id != product.seller_id:
        return (
            f"The code {code.code} is from another seller and can't be used "
            f"for “{product.title}”."
        )
    if not code.products.filter(pk=product.pk).exists():
        return f"The code {code.code} doesn't apply to “{product.title}”."
    if code.kind == DiscountKind.FLAT and code.currency != product.currency:
        return f"The code {code.code} doesn't apply to “{product.title}”."
    if not code.is_started(now):
        return f"The code {code.code} isn't active yet."
    if code.is_expired(now):
        return f"The code {code.code} has expired."
    if (
        code.usage_limit is not None
        and discount_code_times_used(code=code) >= code.usage_limit
    ):
        return f"The code {code.code} has been used up."
    return ""


def discount_quote(*, code_text: str, product) -> DiscountQuote:
    """Check a typed code for ``product`` by our rules and Dodo's; the new total.

    Raises ``DiscountRefused`` with a message for the buyer.
    """
    from commerce.dodo import client as dodo
    from commerce.dodo.discounts import discount_retrieve, discount_sync

    code = discount_code_by_code(code=code_text)
    if code is None:
        raise DiscountRefused(f"The code {code_text.strip().upper()} doesn't exist.")
    refusal = discount_code_refusal(code, product)
    if refusal:
        raise DiscountRefused(refusal)
    unavailable = DiscountRefused(
        f"The code {code.code} can't be checked with the payment provider right "
        "now. Try again in a minute, or continue without it."
    )
    try:
        # A code Dodo may not hold as we do is sent again first (the request's
        # deadline): the buyer should not wait for the background sync.
        if not code.dodo_discount_id or code.sync_status != DiscountSyncStatus.SYNCED:
            discount_sync(code_id=code.pk)
            code.refresh_from_db()
        state = discount_retrieve(dodo_discount_id=code.dodo_discount_id)
    except dodo.DodoError as err:
        raise unavailable from err
    product.refresh_from_db(fields=["dodo_product_id"])
    product_dodo_id = product.dodo_product_id
    dodo_refusal = state.refusal(dodo_product_id=product_dodo_id)
    if not product_dodo_id or dodo_refusal:
        raise DiscountRefused(
            f"The code {code.code} {dodo_refusal or 'cannot be applied yet'}."
        )
    price = product.effective_price
    return DiscountQuote(
        discount=code,
        price=price,
        discounted=code.discounted_price(price),
        currency=product.currency,
    )


def discount_code_saved(*, code: DiscountCode) -> None:
    """After a create or edit: Dodo gets the code's current state (outbox)."""
    from commerce.tasks import discount_sync_to_dodo_task

    DiscountCode.objects.filter(pk=code.pk).update(sync_status="pending")
    enqueue(discount_sync_to_dodo_task, code.pk)


@transaction.atomic
def discount_code_delete(*, code: DiscountCode) -> None:
    """Delete the code here and, through the outbox, its twin at Dodo."""
    from commerce.tasks import discount_delete_in_dodo_task

    dodo_id = code.dodo_discount_id
    code.delete()
    if dodo_id:
        enqueue(discount_delete_in_dodo_task, dodo_id)
