"""Demo catalogue: 5 categories and 12 published products of the demo seller.

Covers are drawn with Pillow (``covers``: real typography, a layout per
category); each product page has sections (what's inside, who it's for,
requirements) and a release history whose files are real zip archives in the
private storage.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model

from accounts.demo import SELLER
from accounts.models import User
from catalog.models import ProductCategory, ProductPage
from catalog.releases.models import ProductRelease
from catalog.site_tree import ensure_product_index

from .content import CATEGORIES, DETAILS, PRODUCTS, Details
from .covers import cover_png

__all__ = ["CATEGORIES", "PRODUCTS", "seed"]


def _cover_image(title: str, summary: str, category: str, colour):
    Image = get_image_model()
    existing = Image.objects.filter(title=f"{title} cover").first()
    if existing is not None:
        return existing
    png = cover_png(title=title, summary=summary, category=category, colour=colour)
    image = Image(title=f"{title} cover")
    slug = title.lower().replace(" ", "-")
    image.file = ImageFile(io.BytesIO(png), name=f"{slug}.png")
    image.save()
    return image


def _archive(title: str, version: str) -> ContentFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", f"{title}\nVersion {version}\n")
        archive.writestr("LICENSE.txt", "Single-user licence for the buyer.\n")
    return ContentFile(buffer.getvalue())


def _items(values) -> str:
    return "".join(f"<li>{escape(value)}</li>" for value in values)


def description_html(summary: str, details: Details) -> str:
    """The product page's body: an introduction, then one section per question."""
    return (
        f"<p>{escape(summary)} Buy once: every future version is included.</p>"
        f"<h2>What’s inside</h2><ul>{_items(details.inside)}</ul>"
        f"<h2>Who it’s for</h2><p>{escape(details.audience)}</p>"
        f"<h2>Requirements</h2><ul>{_items(details.requirements)}</ul>"
    )


def _releases(title: str, slug: str, details: Details) -> list[ProductRelease]:
    today = timezone.localdate()
    releases = []
    for version, days_ago, changes in details.releases:
        release = ProductRelease(
            version=version,
            released_on=today - timedelta(days=days_ago),
            changes=changes,
            # Nobody owns a demo product yet; nothing to announce.
            notify_buyers=False,
        )
        release.file.save(f"{slug}-{version}.zip", _archive(title, version), save=False)
        releases.append(release)
    return releases


def seed(out) -> None:
    index = ensure_product_index()
    categories = {}
    for order, (name, description) in enumerate(CATEGORIES):
        category, _ = ProductCategory.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )
        categories[name] = category
    seller = User.objects.get(email=SELLER.email)
    created = 0
    for title, summary, price, sale, names, featured, colour in PRODUCTS:
        if ProductPage.objects.filter(title=title).exists():
            continue
        details = DETAILS[title]
        slug = title.lower().replace(" ", "-")
        releases = _releases(title, slug, details)
        current = releases[-1]
        product = ProductPage(
            title=title,
            summary=summary,
            description=description_html(summary, details),
            price=price,
            selling_price=sale,
            currency="USD",
            is_featured=featured,
            seller=seller,
            owner=seller,
            cover_image=_cover_image(title, summary, names[0], colour),
            file_version=current.version,
            changelog=current.changes,
        )
        product.file.save(f"{slug}.zip", _archive(title, current.version), save=False)
        for release in releases:
            product.releases.add(release)
        index.add_child(instance=product)
        product.categories.set([categories[name] for name in names])
        product.save_revision(user=seller).publish()
        created += 1
    out.write(
        f"Catalogue: {len(categories)} categories, "
        f"{ProductPage.objects.live().count()} live products ({created} new)."
    )
