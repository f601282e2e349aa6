"""Demo catalogue: 5 categories and 12 published products of the demo seller.

Cover images are drawn with Pillow and stored as Wagtail images; each product has
a real zip archive in the private storage.
"""

from __future__ import annotations

import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from accounts.demo import SELLER
from accounts.models import User

from .models import ProductCategory, ProductPage
from .site_tree import ensure_product_index

CATEGORIES = [
    ("Templates", "Website, slide and document templates."),
    ("E-books", "Guides and handbooks to read anywhere."),
    ("Code", "Source code, starters and components."),
    ("Courses", "Video and text courses with exercises."),
    ("Design assets", "Icons, illustrations and UI kits."),
]

# title, summary, price, selling price, categories, featured, colour
PRODUCTS = [
    (
        "Django SaaS Starter",
        "A production-ready Django starter.",
        4900,
        3900,
        ["Code", "Templates"],
        True,
        (37, 99, 235),
    ),
    (
        "Wagtail Theme Pack",
        "Five themes for Wagtail sites.",
        2900,
        None,
        ["Templates", "Design assets"],
        True,
        (16, 185, 129),
    ),
    (
        "Pragmatic Postgres",
        "Indexes, plans and migrations explained.",
        1900,
        None,
        ["E-books"],
        True,
        (234, 88, 12),
    ),
    (
        "HTMX in Practice",
        "Interactive pages without a SPA.",
        2400,
        1900,
        ["E-books", "Code"],
        False,
        (147, 51, 234),
    ),
    (
        "Line Icon Set",
        "1,200 consistent line icons.",
        1500,
        None,
        ["Design assets"],
        False,
        (219, 39, 119),
    ),
    (
        "Testing Django Course",
        "From pytest basics to browser tests.",
        7900,
        5900,
        ["Courses", "Code"],
        True,
        (5, 150, 105),
    ),
    (
        "Pitch Deck Template",
        "A 30-slide investor deck.",
        1900,
        None,
        ["Templates"],
        False,
        (202, 138, 4),
    ),
    (
        "Celery Recipes",
        "Background jobs that do not fall over.",
        1700,
        None,
        ["E-books", "Code"],
        False,
        (79, 70, 229),
    ),
    (
        "Landing Page Kit",
        "Sections to compose landing pages.",
        3500,
        2900,
        ["Design assets", "Templates"],
        False,
        (225, 29, 72),
    ),
    (
        "Python Type Hints Course",
        "Typing a real codebase step by step.",
        5900,
        None,
        ["Courses"],
        False,
        (13, 148, 136),
    ),
    (
        "Email Template Bundle",
        "Responsive transactional e-mails.",
        2200,
        None,
        ["Templates"],
        False,
        (100, 116, 139),
    ),
    (
        "Accessible Forms Handbook",
        "Forms everyone can fill in.",
        1200,
        None,
        ["E-books", "Design assets"],
        True,
        (190, 24, 93),
    ),
]


def _cover_image(title: str, colour: tuple[int, int, int]):
    Image = get_image_model()
    existing = Image.objects.filter(title=f"{title} cover").first()
    if existing is not None:
        return existing
    canvas = PillowImage.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((60, 60, 1140, 840), outline=(255, 255, 255), width=8)
    draw.text((110, 400), title, fill=(255, 255, 255), font_size=72)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    image = Image(title=f"{title} cover")
    slug = title.lower().replace(" ", "-")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{slug}.png")
    image.save()
    return image


def _archive(title: str, version: str) -> ContentFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", f"{title}\nVersion {version}\n")
        archive.writestr("LICENSE.txt", "Single-user licence for the buyer.\n")
    return ContentFile(buffer.getvalue())


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
        product = ProductPage(
            title=title,
            summary=summary,
            description=f"<p>{summary} Lifetime updates included.</p>",
            price=price,
            selling_price=sale,
            currency="USD",
            is_featured=featured,
            seller=seller,
            owner=seller,
            cover_image=_cover_image(title, colour),
            file_version="1.0.0",
            changelog="First release.",
        )
        slug = title.lower().replace(" ", "-")
        product.file.save(f"{slug}.zip", _archive(title, "1.0.0"), save=False)
        index.add_child(instance=product)
        product.categories.set([categories[name] for name in names])
        product.save_revision(user=seller).publish()
        created += 1
    out.write(
        f"Catalogue: {len(categories)} categories, "
        f"{ProductPage.objects.live().count()} live products ({created} new)."
    )
