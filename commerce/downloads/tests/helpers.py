"""Small helpers shared by the download tests."""

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
    """The seller adds a release with a new file and publishes the page."""
    from catalog.tests.factories import publish_release

    publish_release(product, version=version, content=content, name=name)


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)
