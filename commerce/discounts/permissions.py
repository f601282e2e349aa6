"""Who may act on which discount code in the Wagtail admin."""

from __future__ import annotations

from access.wagtail_policies import group_grant

SELLER_PERMISSION_CODENAMES = (
    "add_discountcode",
    "change_discountcode",
    "delete_discountcode",
    "view_discountcode",
)


def sellers_group_grant_discount_permissions() -> None:
    """Give the Sellers group the discount-code permissions (idempotent); the
    runtime twin of the data migration, for tests that flush the database."""
    from accounts.models import SELLERS_GROUP

    group_grant(SELLERS_GROUP, "commerce", SELLER_PERMISSION_CODENAMES)
