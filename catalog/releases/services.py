"""What publishing a product does with its releases."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from .models import ProductRelease
from .selectors import release_current


def release_badge_moment(released_on: date) -> datetime:
    """The start of the release day (never in the future): the badge window opens."""
    start = timezone.make_aware(datetime.combine(released_on, time.min))
    return min(start, timezone.now())


@transaction.atomic
def product_releases_apply(*, product) -> ProductRelease | None:
    """Make the newest live release the product's current file and badge date.

    Called after every publish; a column update, so no new revision is made.
    """
    from catalog.models import ProductPage

    current = release_current(product_id=product.pk)
    if current is None:
        return None
    values = {
        "file": current.file.name,
        "file_version": current.version,
        "changelog": current.changes,
        "content_updated_at": release_badge_moment(current.released_on),
    }
    ProductPage.objects.filter(pk=product.pk).update(**values)
    for field, value in values.items():
        setattr(product, field, value)
    return current
