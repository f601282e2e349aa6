"""Demo short links for the demo seller."""

from accounts.demo import SELLER
from accounts.models import User

from .models import ShortLink

DEMO_LINKS = [
    ("shop", "/products/"),
    ("docs", "https://docs.wagtail.org/"),
]


def seed(out) -> None:
    seller = User.objects.filter(email=SELLER.email).first()
    if seller is None:
        out.write("Short links: no demo seller, skipped.")
        return
    for slug, destination in DEMO_LINKS:
        ShortLink.objects.get_or_create(
            slug=slug, defaults={"owner": seller, "destination": destination}
        )
    out.write("Short links: " + ", ".join(f"/s/{slug}/" for slug, _ in DEMO_LINKS))
