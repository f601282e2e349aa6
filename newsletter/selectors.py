"""Reads for sign-ups: which page offers which list."""

from __future__ import annotations

from wagtail.models import Page


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
