"""Who may act on which short link in the Wagtail admin."""

from __future__ import annotations

from access.wagtail_policies import group_grant

SELLER_PERMISSION_CODENAMES = (
    "add_shortlink",
    "change_shortlink",
    "delete_shortlink",
    "view_shortlink",
)


def sellers_group_grant_link_permissions() -> None:
    """Give the Sellers group the short-link permissions (idempotent).

    Migration 0002 does this on a real database; a flushed test database loses
    group permissions, and the tests call this to put them back.
    """
    from accounts.models import SELLERS_GROUP

    group_grant(SELLERS_GROUP, "shortlinks", SELLER_PERMISSION_CODENAMES)
