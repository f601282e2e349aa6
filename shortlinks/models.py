"""Short links: ``/s/<slug>/`` redirects to a destination a seller or staff chose."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel

from . import cache as link_cache

# No 0/o, 1/l/i: a slug read aloud or from paper is typed right the first time.
SLUG_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SLUG_GENERATED_LENGTH = 7
SLUG_MAX_LENGTH = 40

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$",
    "Use 1 to 40 lower-case letters, digits or hyphens, starting and ending with a "
    "letter or digit.",
    code="invalid_slug",
)

_external_url_validator = URLValidator(schemes=["http", "https"])
_UNSAFE_CHARACTERS = re.compile(r"[\s\\\x00-\x1f\x7f]")


def validate_destination(value: str) -> None:
    """Allow a site path (``/products/``) or an absolute http(s) URL, nothing else.

    ``//host`` and backslashes are refused because browsers read them as another
    host, which would slip an arbitrary scheme-less redirect past the check.
    """
    if not value or _UNSAFE_CHARACTERS.search(value):
        raise ValidationError(
            "Enter a path starting with / or an http(s) URL, without spaces.",
            code="invalid_destination",
        )
    if value.startswith("/"):
        if value.startswith("//"):
            raise ValidationError(
                "A path must start with a single /.", code="invalid_destination"
            )
        return
    try:
        _external_url_validator(value)
    except ValidationError as err:
        raise ValidationError(
            "Enter a path starting with / or a full http:// or https:// URL.",
            code="invalid_destination",
        ) from err


def generate_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_GENERATED_LENGTH))


class ShortLinkQuerySet(models.QuerySet):
    def delete(self):
        # Bulk deletes (Wagtail's bulk action) bypass ShortLink.delete().
        slugs = list(self.values_list("slug", flat=True))
        result = super().delete()
        link_cache.forget(slugs)
        return result


class ShortLink(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="short_links",
        editable=False,
    )
    slug = models.CharField(
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        validators=[slug_validator],
        help_text="Left blank: a short random slug is made for you.",
    )
    destination = models.CharField(
        max_length=2000,
        validators=[validate_destination],
        help_text="A path on this site (/products/) or a full http(s) URL.",
    )
    expires_at = models.DateTimeField(
        "expires at",
        null=True,
        blank=True,
        help_text="Left blank: the link never expires.",
    )
    hit_count = models.PositiveBigIntegerField("hits", default=0, editable=False)
    last_hit_at = models.DateTimeField("last hit", null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShortLinkQuerySet.as_manager()

    panels = [
        FieldPanel("slug"),
        FieldPanel("destination"),
        FieldPanel("expires_at"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "short link"
        verbose_name_plural = "short links"

    def __str__(self) -> str:
        return f"/s/{self.slug}/"

    def save(self, *args, **kwargs) -> None:
        old_slug = None
        if self.pk:
            old_slug = (
                ShortLink.objects.filter(pk=self.pk)
                .values_list("slug", flat=True)
                .first()
            )
        if not self.slug:
            self.slug = self._unused_slug()
        super().save(*args, **kwargs)
        link_cache.forget([s for s in (old_slug, self.slug) if s])

    def get_absolute_url(self) -> str:
        return f"/s/{self.slug}/"

    def delete(self, *args, **kwargs):
        slug = self.slug
        result = super().delete(*args, **kwargs)
        link_cache.forget([slug])
        return result

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @staticmethod
    def _unused_slug() -> str:
        # 31**7 slugs: a collision is rare, ten in a row means something is broken.
        for _ in range(10):
            slug = generate_slug()
            if not ShortLink.objects.filter(slug=slug).exists():
                return slug
        raise RuntimeError("Could not find an unused short-link slug.")
