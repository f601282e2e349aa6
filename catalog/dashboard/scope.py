"""Whose figures a request may see: a seller their own, staff any seller or all."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from access import policy, roles

from . import selectors


@dataclass(frozen=True)
class DashboardScope:
    seller_id: int | None  # None: every seller (staff only)
    sellers: list[dict] | None  # staff's filter choices; None for a seller


def may_see_dashboard(user) -> bool:
    return policy.may_enter(user, "sales_dashboard")


def dashboard_scope(request) -> DashboardScope:
    """Staff pick a seller with ``?seller=<id>`` (default: all); a seller sees own."""
    user = request.user
    if not may_see_dashboard(user):
        raise PermissionDenied
    if not roles.is_staff(user):
        return DashboardScope(seller_id=user.pk, sellers=None)
    sellers = selectors.dashboard_sellers()
    wanted = request.GET.get("seller", "")
    seller_id = next((s["pk"] for s in sellers if str(s["pk"]) == wanted), None)
    return DashboardScope(seller_id=seller_id, sellers=sellers)
