"""Demo site tree: the home page (site root) filled with blocks, one landing page."""

from catalog.models import ProductPage

from .models import LandingPage
from .site_tree import ensure_site_tree

TESTIMONIALS = [
    {
        "quote": "Bought once, and it keeps getting better.",
        "author": "Priya N.",
        "role": "Freelance developer",
    },
    {
        "quote": "The update badge tells me when to download again.",
        "author": "Tom R.",
        "role": "Designer",
    },
]


def _home_body() -> list:
    return [
        *({"type": "testimonial", "value": item} for item in TESTIMONIALS),
        {
            "type": "call_to_action",
            "value": {
                "heading": "Sell your own digital products",
                "text": "Publish from the admin; we handle payments and downloads.",
                "button_text": "Become a seller",
                "button_link": "/account/register/",
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
                "image": None,
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


def seed(out) -> None:
    home = ensure_site_tree()
    if not home.body:
        home.body = _home_body()
        home.save_revision().publish()
    landing = LandingPage.objects.filter(slug="launch-week").first()
    if landing is None:
        landing = home.add_child(
            instance=LandingPage(
                title="Launch week",
                slug="launch-week",
                intro="A week of offers on our best starters.",
                body=_landing_body(),
            )
        )
        landing.save_revision().publish()
    out.write(f"Home page: {home.title} (site root); landing page: {landing.url}")
