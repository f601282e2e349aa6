"""Products are Wagtail pages; categories are a snippet shared by all sellers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Window
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from access import roles
from access.pages import ScopedPermissionsPage
from commerce.money import MoneyError, to_major, to_minor
from site_config.cache import cache_get, cache_set
from site_config.page_cache import catalog_generation_for

from .uploads import upload_store_now

PRODUCTS_PER_PAGE = 12
# The listing pages this deep at most (bounded OFFSET); filters narrow the rest.
LISTING_MAX_PAGES = 100
LISTING_COUNT_SECONDS = 300


def updated_badge_since():
    """Products whose latest release is after this moment show the "Updated" badge.

    The one badge rule: ``ProductPage.is_recently_updated`` and every query
    (listing, library) compare ``content_updated_at`` with this.
    """
    return timezone.now() - timedelta(days=settings.UPDATED_BADGE_DAYS)


class PrivateFileInput(forms.ClearableFileInput):
    """Shows the stored name only: a private file has no URL to link to."""

    template_name = "catalog/widgets/private_file_input.html"


def private_storage():
    """Product files: never under MEDIA_ROOT, never reachable by a public URL."""
    return storages["private"]


class Currency(models.TextChoices):
    USD = "USD", "US dollar"
    EUR = "EUR", "Euro"
    GBP = "GBP", "Pound sterling"
    INR = "INR", "Indian rupee"
    JPY = "JPY", "Japanese yen"


# Refund windows a product may state (days after the purchase); 0: no refunds.
REFUND_WINDOW_CHOICES = [
    (0, "No refunds"),
    (7, "7 days"),
    (14, "14 days"),
    (30, "30 days"),
    (60, "60 days"),
]
DEFAULT_REFUND_WINDOW_DAYS = 14


class TaxCategory(models.TextChoices):
    """Dodo's tax categories for what we sell."""

    DIGITAL_PRODUCTS = "digital_products", "Digital products"
    E_BOOK = "e_book", "E-book"
    EDTECH = "edtech", "Education (courses)"
    SAAS = "saas", "Software as a service"


class ProductCategory(index.Indexed, models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=90, unique=True, blank=True, help_text="Left blank: made from name."
    )
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0, help_text="Lower comes first.")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("description"),
    ]

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "product category"
        verbose_name_plural = "product categories"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = slugify(self.name)[:80] or "category"
        slug, n = base, 2
        while ProductCategory.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug = f"{base}-{n}"
            n += 1
        return slug


# Sellers type prices in major units (19.99); the page stores minor units (1999).
PRICE_FIELDS = {
    "price": "The list price, e.g. 19.99, in the currency chosen below.",
    "selling_price": "A sale price, e.g. 14.99; blank sells at the list price.",
}


class ProductPageForm(WagtailAdminPageForm):
    """A seller always sells as themselves; staff pick the seller.

    New files (the page's, each release's) are stored while the form validates
    (``catalog.uploads``): a full or read-only disk is an error on that file field,
    never a 500.

    Prices are shown and typed in major units of the product's currency and saved
    in minor units, exactly (``commerce.money``: Decimal, no float rounding); an
    amount with more decimals than the currency has is refused, not rounded.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if roles.is_scoped_seller(user):
            self.fields.pop("seller", None)
            self.instance.seller = user
        elif "seller" in self.fields and not self.instance.seller_id:
            if roles.is_seller(user):
                self.fields["seller"].initial = user.pk
        self._prices_in_major_units()
        if "refund_window_days" in self.fields:
            # A form posted without it (an API client, an older form) keeps the
            # product's window, or the default for a new product.
            self.fields["refund_window_days"].required = False

    def clean_refund_window_days(self) -> int:
        value = self.cleaned_data.get("refund_window_days")
        if value in (None, ""):
            return self.instance.refund_window_days
        return value

    def _prices_in_major_units(self) -> None:
        currency = self.instance.currency or Currency.USD
        for name, help_text in PRICE_FIELDS.items():
            stored = self.fields.get(name)
            if stored is None:
                continue
            self.fields[name] = forms.DecimalField(
                label=stored.label,
                required=stored.required,
                min_value=Decimal(0),
                max_digits=14,
                help_text=help_text,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            minor = self.initial.get(name)
            if isinstance(minor, int):
                self.initial[name] = to_major(minor, currency)

    def _clean_prices(self, cleaned: dict) -> dict:
        currency = cleaned.get("currency") or self.instance.currency or Currency.USD
        for name in PRICE_FIELDS:
            value = cleaned.get(name)
            if name not in self.fields or value is None:
                continue
            try:
                minor = to_minor(value, currency)
            except MoneyError as err:
                self.add_error(name, str(err))
                continue
            if minor < 1:
                self.add_error(name, "Enter a price above zero.")
                continue
            cleaned[name] = minor
        return cleaned

    def clean(self):
        cleaned_data = self._clean_prices(super().clean())
        # Only once the inline panels validated too: a page sent back stores nothing.
        if self.errors or not all(fs.is_valid() for fs in self.formsets.values()):
            return cleaned_data
        upload_store_now(self, "file")
        releases = self.formsets.get("releases")
        for form in releases.forms if releases is not None else ():
            if not form.cleaned_data.get("DELETE"):
                # An error here makes the release form, so the page form, invalid.
                upload_store_now(form, "file")
        return cleaned_data


class ListingPaginator(Paginator):
    """The listing's pager: a bounded depth and a count kept in the cache.

    Deep pages cost an ``OFFSET`` the database walks row by row, and nobody pages
    through thousands of products: past ``LISTING_MAX_PAGES`` the listing asks to
    refine the search instead. The total (a ``COUNT`` over the filtered pages) is
    cached per filter under the page cache's catalog generation (as the request
    read it before any product: ``catalog_generation_for``), so every page of one
    listing shares one count and a publish makes it recount.
    """

    def __init__(
        self,
        *args,
        count_key: str = "",
        generation: str | None,
        count_with_page: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.generation = generation
        self.count_with_page = count_with_page

    def _count_cache_key(self) -> str | None:
        if not self.count_key or self.generation is None:
            return None  # nothing to key it by, or no cache
        return f"catalog:count:{self.generation}:{self.count_key}"

    @cached_property
    def count(self) -> int:
        key = self._count_cache_key()
        if key is None:
            return super().count
        cached = cache_get(key)
        if isinstance(cached, int):
            return cached
        total = super().count
        cache_set(key, total, LISTING_COUNT_SECONDS)
        return total

    def get_page(self, number):
        if self.count_with_page and "count" not in self.__dict__:
            page = self._page_and_count(number)
            if page is not None:
                return page
        return super().get_page(number)

    def _page_and_count(self, number):
        """A search's page and its total in one query, or None to ask twice.

        Ranking reads every match anyway (the best 12 are known only once all are
        ranked), so ``COUNT(*) OVER ()`` on the page's own query costs next to
        nothing, where a separate ``COUNT`` found and joined every match again
        (14 of an uncached search's ~45 ms in PostgreSQL at 10,000 products). Not
        for plain listings: their page can stop after 12 rows of an index, and
        their count is cached per filter. None (the usual two queries) when the
        total is cached already, or the page number is not one of the rows'.
        """
        key = self._count_cache_key()
        cached = cache_get(key) if key is not None else None
        if isinstance(cached, int):
            self.count = cached
            return None
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1  # as get_page: no page, or not a number, is the first
        if not 1 <= number <= LISTING_MAX_PAGES:
            return None
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(listing_total=Window(Count("*")))[
                bottom : bottom + self.per_page
            ]
        )
        if not rows:
            return None  # past the last page: the pager's own answer
        self.count = rows[0].listing_total
        if key is not None:
            cache_set(key, self.count, LISTING_COUNT_SECONDS)
        return self._get_page(rows, number, self)

    def page(self, number):
        # The rows come from the slice alone, never from the (possibly cached, so
        # possibly stale) count: a stale total may misnumber the pager, but it
        # never hides a product from the page it belongs to.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(
            self.object_list[bottom : bottom + self.per_page], number, self
        )

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, LISTING_MAX_PAGES)

    @property
    def is_truncated(self) -> bool:
        return self.count > LISTING_MAX_PAGES * self.per_page


class OptionalWorkflowPage:
    """Product pages go through a review workflow only when
    ``settings.SELLER_PRODUCT_WORKFLOW`` is on (then: the nearest one assigned,
    the "Product review" workflow on the product index). Off, they publish
    directly although the home page above them has one."""

    @property
    def has_workflow(self):
        return settings.SELLER_PRODUCT_WORKFLOW and super().has_workflow

    def get_workflow(self):
        if not settings.SELLER_PRODUCT_WORKFLOW:
            return None
        return super().get_workflow()


class ProductIndexPage(OptionalWorkflowPage, ScopedPermissionsPage, Page):
    """``/products/``: the public listing of every live product."""

    intro = models.CharField(max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["catalog.ProductPage"]
    max_count = 1

    class Meta:
        verbose_name = "product index page"

    def get_context(self, request, *args, **kwargs):
        from .selectors import product_listing_context

        catalog_generation_for(request)  # before the listing reads its products
        context = super().get_context(request, *args, **kwargs)
        context.update(product_listing_context(index=self, request=request))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.history_restore_request:
            # Push the clean URL (no empty q, no default sort), not the raw form.
            response["HX-Push-Url"] = response.context_data["listing_url"]
        return response

    def paginate(self, products, page_number, *, request, count_key="", searched=False):
        return ListingPaginator(
            products,
            PRODUCTS_PER_PAGE,
            count_key=count_key,
            generation=catalog_generation_for(request),
            count_with_page=searched,
        ).get_page(page_number)


class ProductPage(OptionalWorkflowPage, ScopedPermissionsPage, Page):
    """A digital product. Prices are integers in minor units (cents), as Dodo counts."""

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"is_seller": True},
        help_text="The seller who owns this product and its revenue.",
    )
    summary = models.CharField(max_length=255, blank=True)
    description = RichTextField(blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    price = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="List price in minor units (e.g. 1999 = 19.99).",
    )
    selling_price = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Sale price in minor units; blank sells at the list price.",
    )
    currency = models.CharField(
        max_length=3, choices=Currency.choices, default=Currency.USD
    )
    tax_category = models.CharField(
        max_length=32,
        choices=TaxCategory.choices,
        default=TaxCategory.DIGITAL_PRODUCTS,
    )
    categories = ParentalManyToManyField(
        ProductCategory, blank=True, related_name="products"
    )
    is_featured = models.BooleanField(default=False)
    # The current release, copied from the newest live release on publish
    # (catalog.releases.services); the download path and its audit read these.
    file = models.FileField(
        storage=private_storage,
        upload_to="products/%Y/%m/",
        blank=True,
        max_length=255,
        help_text="The downloadable file buyers get (kept private).",
    )
    file_version = models.CharField(
        "version", max_length=40, blank=True, help_text="e.g. 1.2.0 or 2nd edition"
    )
    changelog = models.TextField(
        "what changed", blank=True, help_text="Shown to buyers with the version."
    )
    earlier_releases_downloadable = models.BooleanField(
        "buyers may download earlier releases",
        default=False,
        help_text="Off: buyers get the current release only.",
    )
    # License keys Dodo issues to each buyer (sent with the product sync).
    license_key_enabled = models.BooleanField(
        "issue license keys",
        default=False,
        help_text="Dodo issues each buyer a license key for your software.",
    )
    license_key_activations_limit = models.PositiveIntegerField(
        "activations per key",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Blank: unlimited.",
    )
    license_key_duration_days = models.PositiveIntegerField(
        "key valid for (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Blank: the key never expires.",
    )
    license_key_activation_message = models.CharField(
        "activation instructions",
        max_length=500,
        blank=True,
        help_text="Sent to the buyer with the key.",
    )
    refund_window_days = models.PositiveSmallIntegerField(
        "refund window",
        choices=REFUND_WINDOW_CHOICES,
        default=DEFAULT_REFUND_WINDOW_DAYS,
        help_text="How long after buying a buyer may ask for a refund.",
    )
    refund_fine_print = models.TextField(
        "refund fine print",
        blank=True,
        max_length=1000,
        help_text="Optional conditions, shown with the refund policy.",
    )
    content_updated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The latest release date (drives the Updated badge).",
    )
    dodo_product_id = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        InlinePanel("gallery_images", label="Gallery image", heading="Gallery"),
        MultiFieldPanel(
            [
                FieldPanel("price"),
                FieldPanel("selling_price"),
                FieldPanel("currency"),
                FieldPanel("tax_category"),
            ],
            heading="Pricing",
        ),
        MultiFieldPanel(
            [FieldPanel("refund_window_days"), FieldPanel("refund_fine_print")],
            heading="Refund policy",
        ),
        FieldPanel("categories"),
        FieldPanel("is_featured"),
        MultiFieldPanel(
            [
                FieldPanel("earlier_releases_downloadable"),
                InlinePanel("releases", label="Release", heading="Releases"),
            ],
            heading="Releases",
            help_text="Publishing with a new release makes its file the one buyers "
            "download; the newest release date drives the Updated badge.",
        ),
        MultiFieldPanel(
            [
                FieldPanel("license_key_enabled"),
                FieldPanel("license_key_activations_limit"),
                FieldPanel("license_key_duration_days"),
                FieldPanel("license_key_activation_message"),
            ],
            heading="License keys",
            classname="collapsed",
        ),
        FieldPanel("seller"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.FilterField("is_featured"),
        index.FilterField("seller"),
        index.AutocompleteField("summary"),
    ]
    parent_page_types = ["catalog.ProductIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ProductPageForm

    class Meta:
        verbose_name = "product"

    @property
    def effective_price(self) -> int:
        """What a buyer pays: the sale price when set, else the list price."""
        return self.selling_price if self.selling_price is not None else self.price

    @property
    def is_on_sale(self) -> bool:
        return self.selling_price is not None and self.selling_price < self.price

    @property
    def is_recently_updated(self) -> bool:
        """The one "Updated" badge rule: listing, detail page and buyer's library."""
        return (
            self.content_updated_at is not None
            and self.content_updated_at > updated_badge_since()
        )

    def release_history(self):
        """Live releases, newest (the current one) first."""
        return self.releases.all()

    def with_content_json(self, content):
        # Revisions must not roll back what the system set after they were saved.
        page = super().with_content_json(content)
        page.content_updated_at = self.content_updated_at
        page.dodo_product_id = self.dodo_product_id
        return page

    def get_context(self, request, *args, **kwargs):
        from .selectors import product_buy_state, product_json_ld

        context = super().get_context(request, *args, **kwargs)
        context["buy"] = product_buy_state(product=self, user=request.user)
        context["gallery"] = self.gallery_images.select_related("image")
        context["releases"] = self.release_history()
        # Loaded once for the tags and the JSON-LD.
        context["categories"] = list(self.categories.all())
        context["json_ld_data"] = product_json_ld(
            product=self, request=request, categories=context["categories"]
        )
        return context


class ProductGalleryImage(Orderable):
    product = ParentalKey(
        ProductPage, on_delete=models.CASCADE, related_name="gallery_images"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(max_length=120, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


from .releases.models import ProductRelease  # noqa: E402, F401
