"""Read-side queries about releases."""

from __future__ import annotations

from .models import RELEASE_ORDERING, ProductRelease


def release_current(*, product_id: int) -> ProductRelease | None:
    """The product's current release: the newest live one (None without releases)."""
    return (
        ProductRelease.objects.filter(product_id=product_id)
        .order_by(*RELEASE_ORDERING)
        .first()
    )


def release_downloadable(*, product, release_id: int) -> ProductRelease | None:
    """The release a buyer may download: the current one, or any when the seller
    allows earlier releases. None when it is neither (or not this product's)."""
    release = ProductRelease.objects.filter(
        pk=release_id, product_id=product.pk
    ).first()
    if release is None:
        return None
    if product.earlier_releases_downloadable:
        return release
    current = release_current(product_id=product.pk)
    return release if current is not None and current.pk == release.pk else None
