"""The site's home page and marketers' landing pages, both composed of blocks."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock

FEATURED_LIMIT = 6


class HomePage(Page):
    """Root of the public site: hero, featured products, then editors' blocks."""

    hero_heading = models.CharField(max_length=120, blank=True)
    hero_text = models.CharField(max_length=255, blank=True)
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        help_text="Testimonials, calls to action and more, below featured products.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalog.ProductIndexPage", "home.LandingPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        from catalog.selectors import products_featured

        context = super().get_context(request, *args, **kwargs)
        context["featured_products"] = products_featured(limit=FEATURED_LIMIT)
        return context


class LandingPage(Page):
    """A campaign page marketers build from blocks, without code."""

    intro = models.CharField(max_length=255, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage", "home.LandingPage"]
    subpage_types = ["home.LandingPage"]

    class Meta:
        verbose_name = "landing page"
