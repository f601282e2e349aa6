"""The site's home page (and, later, marketers' landing pages)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """Root of the public site."""

    hero_heading = models.CharField(max_length=120, blank=True)
    hero_text = models.CharField(max_length=255, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"
