"""Disputes (chargebacks): what each state of a dispute does to the buyer's access."""

from __future__ import annotations

import enum

from django.db import transaction

from commerce.models import NoticeKind, OrderStatus
from commerce.notices.services import order_notice_record
from commerce.refund_requests.services import refund_requests_close_for_order

from .orders import (
    APPLIED,
    UNCHANGED,
    _locked,
    purchase_restore,
    purchase_revoke,
    purchase_suspend,
)


class DisputeAction(enum.Enum):
    SUSPEND = "suspend"
    RESTORE = "restore"
    REVOKE = "revoke"


# The one table. Keys are Dodo's ``dispute_status`` values (SDK ``DisputeStatus``);
# the stage (pre_dispute, dispute, pre_arbitration) does not change the action: a
# dispute opened again at a later stage suspends again.
# - opened: the buyer's bank disputes the charge; access waits for the outcome.
# - challenged: the merchant answered with evidence; still undecided.
# - won / cancelled: the charge stands; access comes back.
# - lost / accepted: the money went back to the buyer.
# - expired: the merchant did not answer in time; Dodo documents that an expired
#   dispute resolves against the merchant, so it is a loss.
DISPUTE_ACTIONS: dict[str, DisputeAction] = {
    "dispute_opened": DisputeAction.SUSPEND,
    "dispute_challenged": DisputeAction.SUSPEND,
    "dispute_won": DisputeAction.RESTORE,
    "dispute_cancelled": DisputeAction.RESTORE,
    "dispute_lost": DisputeAction.REVOKE,
    "dispute_accepted": DisputeAction.REVOKE,
    "dispute_expired": DisputeAction.REVOKE,
}
REVOKE_REASON = "dispute lost"


@transaction.atomic
def order_record_dispute(
    *, order_id: int, dispute_status: str, dispute_id: str = ""
) -> str:
    """Apply the dispute's state (``DISPUTE_ACTIONS``) to the order's access.

    Dodo delivers the dispute's latest state, so ``dispute_status`` (not the event
    type) decides; a lost dispute is final whatever arrives after it. An unknown
    state changes nothing.
    """
    action = DISPUTE_ACTIONS.get(dispute_status)
    if action is None:
        return UNCHANGED
    order = _locked(order_id)
    if action is DisputeAction.REVOKE:
        order.status = OrderStatus.DISPUTED
        order.save(update_fields=["status", "updated_at"])
        purchase_revoke(order_id=order.pk, reason=REVOKE_REASON)
        refund_requests_close_for_order(
            order_id=order.pk,
            note="The buyer's bank reversed the payment (dispute lost).",
        )
        _dispute_notice_record(order, action, dispute_status, dispute_id)
        return APPLIED
    if order.purchased_products.filter(revoke_reason=REVOKE_REASON).exists():
        return UNCHANGED
    if action is DisputeAction.SUSPEND:
        # A refunded order has no access left to suspend; its status stays.
        if order.status != OrderStatus.REFUNDED:
            order.status = OrderStatus.DISPUTED
            order.save(update_fields=["status", "updated_at"])
        if purchase_suspend(order_id=order.pk):
            _dispute_notice_record(order, action, dispute_status, dispute_id)
        return APPLIED
    # RESTORE, decided by the grant, not the order status: a partial refund may
    # have changed the status while the dispute was open.
    restored = purchase_restore(order_id=order.pk)
    if restored:
        _dispute_notice_record(order, action, dispute_status, dispute_id)
    if order.status == OrderStatus.DISPUTED:
        partly = order.refunded_amount > 0
        order.status = OrderStatus.PARTIALLY_REFUNDED if partly else OrderStatus.PAID
        order.save(update_fields=["status", "updated_at"])
        return APPLIED
    return APPLIED if restored else UNCHANGED


def _dispute_notice_record(order, action: DisputeAction, status: str, dispute_id: str):
    """One notice per dispute and outcome: opened then challenged is one "paused"."""
    order_notice_record(
        order=order,
        kind=NoticeKind.DISPUTE,
        event=f"{dispute_id}:{action.value}",
        data={"status": status, "dispute_id": dispute_id},
    )
