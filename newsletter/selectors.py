"""Reads for sign-ups: which page offers which list."""

from __future__ import annotations

from django.db.models import Count
from wagtail.models import Page

from .models import Subscriber


def signup_page_offering(*, page_id: int, topic: str) -> Page | None:
    """The live public page ``page_id`` if its body has a sign-up block for ``topic``.

    Only lists that a published page offers can be signed up for, so the endpoint
    can't be used to create arbitrary lists.
    """
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    for block in getattr(page, "body", None) or []:
        if block.block_type == "signup" and block.value.get("topic") == topic:
            return page
    return None


def signup_counts_for_page(*, page_id: int) -> dict[str, int]:
    """How many sign-ups a page brought, by status (one query)."""
    counts = dict.fromkeys(Subscriber.Status.values, 0)
    rows = (
        Subscriber.objects.filter(source_page_id=page_id)
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
