"""Landing pages react to Wagtail's publish event: their short link follows them."""

from __future__ import annotations

from wagtail.signals import page_published


def _landing_page_published(sender, instance, revision=None, **kwargs) -> None:
    from .campaign import landing_page_short_link_ensure

    user = getattr(revision, "user", None)
    landing_page_short_link_ensure(page=instance, user=user)


def connect() -> None:
    from .models import LandingPage

    page_published.connect(
        _landing_page_published,
        sender=LandingPage,
        dispatch_uid="home_landing_page_short_link",
    )
