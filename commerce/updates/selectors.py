"""Who is told about a release, and what the seller's admin shows about it."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from access.roles import is_scoped_seller, is_staff
from commerce.models import PurchasedProduct

from .models import ProductUpdateOptOut, ReleaseAnnouncement


def release_recipient_ids(*, product_id: int) -> list[int]:
    """Users to e-mail about a product's release: an active grant (never a refunded,
    revoked or suspended one), an active account, update e-mails on, and no
    unsubscribe from this product."""
    return list(
        PurchasedProduct.objects.active()
        .filter(
            product_id=product_id,
            user__is_active=True,
            user__product_update_emails=True,
        )
        .exclude(user__product_update_opt_outs__product_id=product_id)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def release_recipient_still_wanted(*, user, product_id: int) -> bool:
    """Re-checked when each e-mail goes out: a refund or unsubscribe since counts."""
    return (
        user.is_active
        and user.product_update_emails
        and PurchasedProduct.objects.active()
        .filter(user=user, product_id=product_id)
        .exists()
        and not ProductUpdateOptOut.objects.filter(
            user=user, product_id=product_id
        ).exists()
    )


def announcements_visible_to(*, user) -> QuerySet[ReleaseAnnouncement]:
    """Announcements with ``told`` (e-mails sent): a seller sees their products'."""
    announcements = ReleaseAnnouncement.objects.select_related("product").annotate(
        told=Count("emails", filter=Q(emails__sent_at__isnull=False))
    )
    if is_scoped_seller(user):
        return announcements.filter(product__seller=user)
    if is_staff(user):
        return announcements
    return announcements.none()
