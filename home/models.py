"""The site's home page and marketers' landing pages, both composed of blocks."""

from django.db import models
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from access.pages import ScopedPermissionsPage
from site_config.page_cache import catalog_generation_for

from .blocks import BaseStreamBlock
from .panels import CampaignLinksPanel

FEATURED_LIMIT = 6


class HomePage(ScopedPermissionsPage, Page):
    """Root of the public site: hero, featured products, then editors' blocks."""

    hero_heading = models.CharField(max_length=120, blank=True)
    hero_text = models.CharField(max_length=255, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown beside the hero heading (below it on phones).",
    )
    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        help_text="Testimonials, calls to action and more, below featured products.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalog.ProductIndexPage", "home.LandingPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        from catalog.selectors import products_featured

        catalog_generation_for(request)  # before any product is read (catalog.cards)
        context = super().get_context(request, *args, **kwargs)
        context["featured_products"] = products_featured(limit=FEATURED_LIMIT)
        return context


class LandingPage(ScopedPermissionsPage, Page):
    """A campaign page marketers build from blocks, without code."""

    intro = models.CharField(max_length=255, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)
    hide_header = models.BooleanField(
        "hide the site header",
        default=False,
        help_text="For campaigns: no navigation leading visitors away.",
    )
    hide_footer = models.BooleanField("hide the site footer", default=False)
    share_title = models.CharField(
        max_length=120,
        blank=True,
        help_text="Open Graph / Twitter title. Left blank: the SEO title or title.",
    )
    share_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="Open Graph / Twitter text. Left blank: the search description.",
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared; 1200×630 works everywhere.",
    )
    canonical_url = models.URLField(
        "canonical URL",
        blank=True,
        help_text="Left blank: this page's own address. Set it when the same "
        "content lives at another address that search engines should prefer.",
    )
    noindex = models.BooleanField(
        "hide from search engines",
        default=False,
        help_text="Adds noindex and leaves the page out of the sitemap.",
    )
    # Made when the page is first published (home.signal_handlers); kept across
    # revisions (see with_content_json).
    short_link = models.ForeignKey(
        "shortlinks.ShortLink",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [
                FieldPanel("share_title"),
                FieldPanel("share_description"),
                FieldPanel("share_image"),
            ],
            heading="Sharing (Open Graph and Twitter)",
        ),
        MultiFieldPanel(
            [FieldPanel("canonical_url"), FieldPanel("noindex")],
            heading="Search engines",
        ),
    ]
    campaign_panels = [
        MultiFieldPanel(
            [FieldPanel("hide_header"), FieldPanel("hide_footer")],
            heading="Campaign layout",
        ),
        CampaignLinksPanel(heading="Links, visits and sales"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(promote_panels, heading="Promote"),
            ObjectList(campaign_panels, heading="Campaign"),
            ObjectList(Page.settings_panels, heading="Settings", classname="settings"),
        ]
    )
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage", "home.LandingPage"]
    subpage_types = ["home.LandingPage"]

    class Meta:
        verbose_name = "landing page"

    def with_content_json(self, content):
        # An older revision must not drop the link made after it was saved.
        page = super().with_content_json(content)
        page.short_link_id = self.short_link_id
        return page

    def get_context(self, request, *args, **kwargs):
        from .seo import landing_page_meta

        catalog_generation_for(request)  # before its product grids read products
        context = super().get_context(request, *args, **kwargs)
        context["meta"] = landing_page_meta(page=self, request=request)
        return context
