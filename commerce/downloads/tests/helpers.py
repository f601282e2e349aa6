"""Small helpers shared by the download tests."""

from django.core.files.base import ContentFile
from django.utils import timezone

from commerce.models import OrderStatus


def revoke(purchase, *, order_status=OrderStatus.REFUNDED) -> None:
    """What a refund does to a grant (commerce's purchase_revoke does the same)."""
    purchase.revoked_at = timezone.now()
    purchase.revoke_reason = "refund"
    purchase.save(update_fields=["revoked_at", "revoke_reason"])
    purchase.order.status = order_status
    purchase.order.save(update_fields=["status"])


def suspend(purchase) -> None:
    purchase.suspended_at = timezone.now()
    purchase.save(update_fields=["suspended_at"])


def publish_new_file(product, *, name: str, content: bytes, version: str) -> None:
    """The seller uploads a new file and publishes the page."""
    product.file.save(name, ContentFile(content), save=False)
    product.file_version = version
    product.save_revision().publish()
    product.refresh_from_db()


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)
