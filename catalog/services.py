"""Write-side operations on products."""

from django.db import transaction
from django.utils import timezone

from .models import ProductPage


@transaction.atomic
def product_mark_content_updated(*, product: ProductPage) -> None:
    """Start the "Updated" badge window now (a column update, no new revision)."""
    now = timezone.now()
    ProductPage.objects.filter(pk=product.pk).update(content_updated_at=now)
    product.content_updated_at = now
