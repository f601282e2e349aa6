"""Reactions to Wagtail's page events for products."""

from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from .models import ProductPage
from .services import product_mark_content_updated

# What a buyer would call a change: the fields shown with the product or downloaded.
BADGE_FIELDS = (
    "title",
    "summary",
    "description",
    "cover_image",
    "price",
    "selling_price",
    "currency",
    "categories",
    "file",
    "file_version",
    "changelog",
)


def _buyer_facing(content: dict) -> tuple:
    gallery = tuple(
        (item.get("image"), item.get("caption"), item.get("sort_order"))
        for item in content.get("gallery_images", [])
    )
    categories = content.get("categories") or []
    normalized = {**content, "categories": sorted(categories)}
    return (*(normalized.get(field) for field in BADGE_FIELDS), gallery)


def product_published(sender, instance: ProductPage, revision, **kwargs) -> None:
    """Republishing a published product with changes sets ``content_updated_at``.

    Wagtail logs the publish after sending this signal, so the newest publish log
    entry is the previous publish; none means this is the first one.
    """
    previous = (
        PageLogEntry.objects.filter(page_id=instance.pk, action="wagtail.publish")
        .exclude(revision_id=revision.pk)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if previous is None or previous.revision is None:
        return
    if _buyer_facing(previous.revision.content) == _buyer_facing(revision.content):
        return
    product_mark_content_updated(product=instance)


def connect() -> None:
    page_published.connect(
        product_published, sender=ProductPage, dispatch_uid="catalog_product_published"
    )
