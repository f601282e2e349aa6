"""The role predicates: the one place that reads the role flags of a user.

Roles are flags on the user (``is_customer``, ``is_seller``, ``is_marketer``,
``is_staff``, ``is_superuser``); a user may hold several. Staff and superusers
run the store and are never narrowed by a seller's or marketer's scope.
"""

from __future__ import annotations

from django.urls import reverse


def _active(user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
    )


def is_superuser(user) -> bool:
    return _active(user) and bool(user.is_superuser)


def is_staff(user) -> bool:
    """Runs the store: sees every seller's records and every admin area."""
    return _active(user) and bool(user.is_staff or user.is_superuser)


def is_seller(user) -> bool:
    """Holds the seller flag (staff may hold it too)."""
    return _active(user) and bool(getattr(user, "is_seller", False))


def is_marketer(user) -> bool:
    """Holds the marketer flag (staff may hold it too)."""
    return _active(user) and bool(getattr(user, "is_marketer", False))


def is_customer(user) -> bool:
    return _active(user) and bool(getattr(user, "is_customer", False))


def is_scoped_seller(user) -> bool:
    """A seller who is not staff: limited to their own products and records."""
    return is_seller(user) and not is_staff(user)


def is_scoped_marketer(user) -> bool:
    """A marketer who is neither staff nor seller: limited to marketing content."""
    return is_marketer(user) and not is_staff(user) and not is_seller(user)


def works_in_admin(user) -> bool:
    """Sellers, marketers and staff work in the Wagtail admin."""
    return is_staff(user) or is_seller(user) or is_marketer(user)


def role_home_url(user) -> str:
    """Where a user lands after signing in when no safe ``next`` was asked for."""
    if works_in_admin(user):
        return reverse("wagtailadmin_home")
    return reverse("accounts:overview")
