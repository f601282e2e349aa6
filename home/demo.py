"""Demo site tree: the home page (site root) filled with blocks, two landing pages
(the second built from the blocks that sell, in campaign layout), and the demo
marketer's "Spring sale" page built from the same blocks, a draft waiting in the
"Landing page review" workflow for staff to approve."""

import io
from datetime import timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection

from access.policy import MARKETING_COLLECTION
from accounts.demo import ADMIN, MARKETER
from accounts.models import User
from catalog.demo.covers import hero_png
from catalog.models import ProductPage

from .campaign import landing_page_short_link_ensure
from .models import LandingPage
from .site_tree import ensure_site_tree

PRESS = ["Maker Weekly", "Dev Digest", "Indie Radio"]

TESTIMONIALS = [
    {
        "quote": "I bought the SaaS starter a year ago and it has had six updates "
        "since. Each one saved me a weekend.",
        "author": "Priya Natarajan",
        "role": "Freelance developer, Lisbon",
    },
    {
        "quote": "The Updated badge in my library tells me when to download "
        "again. No more digging through old e-mails for a link.",
        "author": "Tom Reinholt",
        "role": "Product designer at Fernweh Studio",
    },
    {
        "quote": "Clear licences, a real invoice for my accountant, and the "
        "seller answered my support request the same day.",
        "author": "Amara Okafor",
        "role": "Founder, Ledgerly",
    },
]


def _hero_image():
    """The home hero's art: the featured products' covers, fanned out."""
    Image = get_image_model()
    title = "Storefront hero"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    products = list(
        ProductPage.objects.live()
        .filter(is_featured=True, cover_image__isnull=False)
        .select_related("cover_image")
        .order_by("path")[:4]
    )
    covers = []
    for product in products:
        with product.cover_image.file.open("rb") as handle:
            covers.append(handle.read())
    image = Image(
        title=title,
        description="Covers of " + ", ".join(product.title for product in products),
    )
    image.file = ImageFile(io.BytesIO(hero_png(covers)), name="storefront-hero.png")
    image.save()
    return image


def _home_body() -> list:
    return [
        *({"type": "testimonial", "value": item} for item in TESTIMONIALS),
        {
            "type": "call_to_action",
            "value": {
                "heading": "Sell your own digital products",
                "text": "Publish from the admin; we handle payments and downloads.",
                "button_text": "Become a seller",
                "button_link": "/account/become-a-seller/",
            },
        },
    ]


def _landing_body() -> list:
    products = list(ProductPage.objects.live().order_by("pk")[:3])
    body = [
        {
            "type": "hero",
            "value": {
                "heading": "Launch week: save on starters",
                "text": "Everything you need to ship your next project.",
                "image": _hero_image().pk,
                "button_text": "See all products",
                "button_link": "/products/",
            },
        },
        {
            "type": "rich_text",
            "value": "<p>Hand-picked kits with <b>lifetime updates</b>.</p>",
        },
    ]
    if products:
        body.append(
            {
                "type": "product_grid",
                "value": {
                    "heading": "Picked for you",
                    "products": [p.pk for p in products],
                },
            }
        )
    body += [
        {"type": "testimonial", "value": TESTIMONIALS[0]},
        {
            "type": "faq",
            "value": {
                "heading": "Questions",
                "items": [
                    {
                        "question": "Do I get updates?",
                        "answer": "<p>Yes, every version.</p>",
                    },
                    {
                        "question": "How do I download?",
                        "answer": "<p>From your library.</p>",
                    },
                ],
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Ready?",
                "text": "Pick a starter and ship this week.",
                "button_text": "Browse products",
                "button_link": "/products/",
            },
        },
    ]
    return body


def _press_strip() -> dict:
    """The demo landing pages' "As heard on" logo strip."""
    return {
        "type": "logo_strip",
        "value": {
            "heading": "As heard on",
            "logos": [
                {"image": _logo_image(name).pk, "name": name, "link": ""}
                for name in PRESS
            ],
        },
    }


def _logo_image(name: str):
    Image = get_image_model()
    existing = Image.objects.filter(title=f"{name} logo").first()
    if existing is not None:
        return existing
    canvas = PillowImage.new("RGB", (480, 120), (255, 255, 255))
    ImageDraw.Draw(canvas).text((24, 36), name, fill=(31, 41, 55), font_size=44)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    # Marketing assets: in the Marketing collection, where marketers manage them.
    collection = Collection.objects.filter(name=MARKETING_COLLECTION).first()
    image = Image(title=f"{name} logo")
    if collection is not None:
        image.collection = collection
    slug = name.lower().replace(" ", "-")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{slug}-logo.png")
    image.save()
    return image


def _campaign_body() -> list:
    """The blocks that sell, on real demo products."""
    products = list(ProductPage.objects.live().order_by("pk")[:3])
    body: list = [
        {
            "type": "hero",
            "value": {
                "heading": "The Creator Bundle is here",
                "text": "Three starters, one week of launch pricing.",
                "image": None,
                "button_text": "",
                "button_link": "",
            },
        },
        {
            "type": "countdown",
            "value": {
                "heading": "Launch pricing ends in",
                "ends_at": (timezone.now() + timedelta(days=7))
                .replace(second=0, microsecond=0)
                .isoformat(),
                "text": "After that, regular prices apply.",
                "ended_text": "Launch pricing has ended; the kits stay available.",
            },
        },
    ]
    if products:
        body.append(
            {
                "type": "product_spotlight",
                "value": {"product": products[0].pk, "heading": "", "text": ""},
            }
        )
        body.append(
            {
                "type": "pricing_table",
                "value": {
                    "heading": "Which kit is for you?",
                    "products": [p.pk for p in products],
                    "highlighted": products[0].pk,
                    "rows": [
                        {
                            "feature": "Lifetime updates",
                            "included_in": [p.pk for p in products],
                        },
                        {
                            "feature": "Paid support available",
                            "included_in": [p.pk for p in products[:2]],
                        },
                    ],
                },
            }
        )
    body += [
        {
            "type": "video",
            "value": {
                "url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
                "title": "A short film (stand-in for a product tour)",
                "caption": "Replace with your own product tour.",
            },
        },
        _press_strip(),
        {
            "type": "signup",
            "value": {
                "heading": "Not ready yet?",
                "text": "One e-mail when the next bundle ships. Nothing else.",
                "topic": "creator-bundle",
                "button_text": "Notify me",
            },
        },
        {"type": "testimonial", "value": TESTIMONIALS[1]},
    ]
    return body


def _landing(home, *, slug: str, owner, **fields) -> LandingPage:
    page = LandingPage.objects.filter(slug=slug).first()
    if page is None:
        page = home.add_child(instance=LandingPage(slug=slug, owner=owner, **fields))
        page.save_revision(user=owner).publish(user=owner)
        page.refresh_from_db()
    elif page.short_link_id is None and owner is not None:
        landing_page_short_link_ensure(page=page, user=owner)
        page.refresh_from_db()
    return page


def _spring_body() -> list:
    """The blocks that sell, as a marketer would compose a sale page."""
    products = list(ProductPage.objects.live().order_by("-pk")[:3])
    body: list = [
        {
            "type": "countdown",
            "value": {
                "heading": "The spring sale ends in",
                "ends_at": (timezone.now() + timedelta(days=14))
                .replace(second=0, microsecond=0)
                .isoformat(),
                "text": "Every starter at its sale price until then.",
                "ended_text": "The spring sale has ended.",
            },
        },
    ]
    if products:
        body += [
            {
                "type": "product_spotlight",
                "value": {"product": products[0].pk, "heading": "", "text": ""},
            },
            {
                "type": "pricing_table",
                "value": {
                    "heading": "Compare the kits",
                    "products": [p.pk for p in products],
                    "highlighted": products[0].pk,
                    "rows": [
                        {
                            "feature": "Lifetime updates",
                            "included_in": [p.pk for p in products],
                        }
                    ],
                },
            },
        ]
    body += [
        _press_strip(),
        {
            "type": "signup",
            "value": {
                "heading": "Hear about the next sale",
                "text": "One e-mail per sale. Nothing else.",
                "topic": "spring-sale",
                "button_text": "Notify me",
            },
        },
    ]
    return body


def _draft_in_review(home, *, slug: str, owner, **fields) -> LandingPage | None:
    """A never-published page whose draft ``owner`` submitted for review."""
    if owner is None:
        return None
    page = LandingPage.objects.filter(slug=slug).first()
    if page is not None:
        return page  # left as it is: waiting, approved or sent back by now
    page = home.add_child(
        instance=LandingPage(slug=slug, owner=owner, live=False, **fields)
    )
    page.save_revision(user=owner)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, owner)
    return page


def seed(out) -> None:
    from marketing.setup import ensure_marketing_setup

    ensure_marketing_setup()
    home = ensure_site_tree()
    if not home.body or home.hero_image_id is None:
        if not home.body:
            home.body = _home_body()
        home.hero_image = _hero_image()
        home.save_revision().publish()
    owner = User.objects.filter(email=ADMIN.email).first()
    landing = _landing(
        home,
        slug="launch-week",
        owner=owner,
        title="Launch week",
        intro="A week of offers on our best starters.",
        body=_landing_body(),
    )
    campaign = _landing(
        home,
        slug="creator-bundle",
        owner=owner,
        title="Creator Bundle",
        intro="",
        body=_campaign_body(),
        hide_header=True,
        share_title="The Creator Bundle: three starters, launch pricing",
        share_description="Lifetime updates on every kit. Launch pricing for a week.",
    )
    spring = _draft_in_review(
        home,
        slug="spring-sale",
        owner=User.objects.filter(email=MARKETER.email).first(),
        title="Spring sale",
        intro="Two weeks of sale prices on the starters.",
        body=_spring_body(),
        hide_header=True,
    )
    out.write(
        f"Home page: {home.title} (site root); landing pages: {landing.url}, "
        f"{campaign.url} (campaign layout, blocks that sell)"
    )
    if spring is not None:
        out.write(
            f'Draft "{spring.title}" by the marketer waits in review: '
            f"/admin/pages/{spring.pk}/edit/ (approve as the staff admin)"
        )
