"""Blocks that sell: a spotlight, a comparison table, video, a countdown, logos and a
sign-up form. Each has an icon, a template, a description and a preview value for
the block picker's previews.

Products are shown through the catalogue's own partials (price, badges) and the
buy box's rule (``catalog.selectors.product_buy_state``), so a landing page never
disagrees with the product page about price, badges or what the visitor may do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from ..video import video_embed

SIGNUP_TOPIC_HELP = (
    "What people sign up for, e.g. launch-week or notify-ebook; it names the list "
    "in the subscribers export."
)


def _live_products(chosen) -> list:
    """The chosen pages that are live products, specific, in the chosen order."""
    return [page.specific for page in chosen if page is not None and page.live]


def _preview_products(count: int) -> list:
    from catalog.models import ProductPage

    return list(ProductPage.objects.live().order_by("pk")[:count])


def _request_user(parent_context):
    from django.contrib.auth.models import AnonymousUser

    request = (parent_context or {}).get("request")
    return getattr(request, "user", None) or AnonymousUser()


class ProductSpotlightBlock(blocks.StructBlock):
    product = blocks.PageChooserBlock(page_type="catalog.ProductPage")
    heading = blocks.CharBlock(
        required=False, max_length=120, help_text="Left blank: the product's title."
    )
    text = blocks.TextBlock(
        required=False, help_text="Left blank: the product's summary."
    )

    class Meta:
        icon = "pick"
        template = "home/blocks/product_spotlight.html"
        label = "Product spotlight"
        description = (
            "One product with its cover, price, badges and a Buy button; buyers who "
            "own it see Download instead."
        )

    def get_context(self, value, parent_context=None):
        from catalog.selectors import product_buy_state

        context = super().get_context(value, parent_context)
        products = _live_products([value.get("product")])
        product = products[0] if products else None
        context["product"] = product
        if product is not None:
            context["buy"] = product_buy_state(
                product=product, user=_request_user(parent_context)
            )
        return context

    def get_preview_value(self):
        products = _preview_products(1)
        return self.normalize(
            {
                "product": products[0] if products else None,
                "heading": "",
                "text": "",
            }
        )


class ComparisonRowBlock(blocks.StructBlock):
    feature = blocks.CharBlock(max_length=120)
    included_in = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="catalog.ProductPage"),
        min_num=0,
        help_text="The products (of this table) that include this feature.",
    )


class PricingTableBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    products = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="catalog.ProductPage"),
        min_num=1,
        max_num=4,
    )
    highlighted = blocks.PageChooserBlock(
        page_type="catalog.ProductPage",
        required=False,
        help_text="Marked “Most popular” (one of the products above).",
    )
    rows = blocks.ListBlock(ComparisonRowBlock(), min_num=0, label="Features")

    class Meta:
        icon = "table"
        template = "home/blocks/pricing_table.html"
        label = "Pricing / comparison table"
        description = (
            "Up to four products side by side: price, badges, which features each "
            "includes, and a Buy button per product."
        )

    def get_context(self, value, parent_context=None):
        from catalog.selectors import product_buy_state

        context = super().get_context(value, parent_context)
        user = _request_user(parent_context)
        products = _live_products(value.get("products") or [])
        highlighted = value.get("highlighted")
        context["columns"] = [
            {
                "product": product,
                "buy": product_buy_state(product=product, user=user),
                "highlighted": highlighted is not None and highlighted.pk == product.pk,
            }
            for product in products
        ]
        context["rows"] = [
            {
                "feature": row["feature"],
                "cells": [
                    any(
                        page is not None and page.pk == product.pk
                        for page in row["included_in"]
                    )
                    for product in products
                ],
            }
            for row in value.get("rows") or []
        ]
        return context

    def get_preview_value(self):
        products = _preview_products(3)
        return self.normalize(
            {
                "heading": "Compare the kits",
                "products": products,
                "highlighted": products[0] if products else None,
                "rows": [
                    {"feature": "Lifetime updates", "included_in": products},
                    {"feature": "Source files", "included_in": products[:1]},
                ],
            }
        )


class VideoEmbedBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label="Video URL", help_text="A YouTube or Vimeo link (watch or share URL)."
    )
    title = blocks.CharBlock(
        max_length=120, help_text="Names the video for screen readers."
    )
    caption = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "media"
        template = "home/blocks/video.html"
        label = "Video"
        description = "A YouTube or Vimeo video, played in the provider's own player."
        preview_value = {
            "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "title": "Product tour",
            "caption": "Three minutes from download to first page.",
        }

    def clean(self, value):
        value = super().clean(value)
        if video_embed(value["url"]) is None:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        "Only YouTube and Vimeo videos can be embedded."
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["video"] = video_embed(value.get("url") or "")
        return context


class CountdownBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    ends_at = blocks.DateTimeBlock(help_text="The launch, or the end of the sale.")
    text = blocks.TextBlock(required=False)
    ended_text = blocks.CharBlock(
        max_length=200,
        default="This offer has ended.",
        help_text="Shown once the date has passed.",
    )

    class Meta:
        icon = "time"
        template = "home/blocks/countdown.html"
        label = "Countdown"
        description = (
            "Counts down to a date. Shows the date without JavaScript; ticks with it."
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        ends_at = value.get("ends_at")
        if isinstance(ends_at, datetime) and timezone.is_naive(ends_at):
            ends_at = timezone.make_aware(ends_at)
        context["ends_at"] = ends_at
        context["ended"] = ends_at is not None and ends_at <= timezone.now()
        return context

    def get_preview_value(self):
        return self.normalize(
            {
                "heading": "Launch sale ends soon",
                "ends_at": timezone.now() + timedelta(days=3, hours=4),
                "text": "30% off every starter kit.",
                "ended_text": "This offer has ended.",
            }
        )


class LogoBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    name = blocks.CharBlock(max_length=80, help_text="The company; the image's alt.")
    link = blocks.URLBlock(required=False)


class LogoStripBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120, default="As seen in")
    logos = blocks.ListBlock(LogoBlock(), min_num=1)

    class Meta:
        icon = "image"
        template = "home/blocks/logo_strip.html"
        label = "Logos / press"
        description = "A row of logos: press that wrote about you, or customers."

    def get_preview_value(self):
        from wagtail.images import get_image_model

        images = list(get_image_model().objects.order_by("pk")[:4])
        return self.normalize(
            {
                "heading": "As seen in",
                "logos": [
                    {"image": image, "name": image.title, "link": ""}
                    for image in images
                ],
            }
        )


class SignupBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Get notified")
    text = blocks.TextBlock(required=False)
    topic = blocks.RegexBlock(
        regex=r"^[a-z0-9][a-z0-9-]{0,48}[a-z0-9]$",
        error_messages={"invalid": "Use 2 to 50 lower-case letters, digits, hyphens."},
        help_text=SIGNUP_TOPIC_HELP,
    )
    button_text = blocks.CharBlock(max_length=40, default="Notify me")

    class Meta:
        icon = "mail"
        template = "home/blocks/signup.html"
        label = "Newsletter / notify me"
        description = (
            "An e-mail sign-up. Each address confirms by e-mail (double opt-in); "
            "staff and marketers export the list as CSV."
        )
        preview_value = {
            "heading": "Be first to know",
            "text": "One e-mail when the new kit ships. Nothing else.",
            "topic": "launch",
            "button_text": "Notify me",
        }
