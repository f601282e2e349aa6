"""Releases are inline children of the product page, so drafts and revisions carry them.

The newest live release (latest ``released_on``, then latest row) is the product's
current file; ``catalog.releases.services`` copies it onto the page when the page is
published, so the download path and the audit keep reading one place.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel

# catalog.models imports this module at its end, after defining these.
from catalog.models import PrivateFileInput, private_storage

# Newest first: the first row is the current release.
RELEASE_ORDERING = ("-released_on", "-pk")


class ProductRelease(models.Model):
    """One published version of a product and the file buyers get for it."""

    product = ParentalKey(
        "catalog.ProductPage", on_delete=models.CASCADE, related_name="releases"
    )
    version = models.CharField(max_length=40, help_text="e.g. 1.2.0 or 2nd edition")
    released_on = models.DateField("release date", default=timezone.localdate)
    changes = models.TextField(
        "what changed", blank=True, help_text="Shown to buyers in the changelog."
    )
    file = models.FileField(
        storage=private_storage,
        upload_to="products/%Y/%m/",
        max_length=255,
        help_text="The file of this release (kept private).",
    )
    notify_buyers = models.BooleanField(
        "e-mail buyers",
        default=True,
        help_text="Untick for a minor release: buyers are not e-mailed about it.",
    )

    panels = [
        FieldRowPanel([FieldPanel("version"), FieldPanel("released_on")]),
        FieldPanel("changes"),
        FieldPanel("file", widget=PrivateFileInput),
        FieldPanel("notify_buyers"),
    ]

    class Meta:
        ordering = RELEASE_ORDERING
        verbose_name = "release"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "version"], name="catalog_release_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.released_on:%Y-%m-%d})"
