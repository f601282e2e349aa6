"""Landing pages for tests: published under the home page, with given blocks."""

from home.models import LandingPage
from home.site_tree import ensure_site_tree


def publish_landing_page(*, slug: str = "campaign", body=(), user=None, **fields):
    home = ensure_site_tree()
    page = home.add_child(
        instance=LandingPage(
            title=fields.pop("title", "Campaign"),
            slug=slug,
            body=list(body),
            owner=user,
            **fields,
        )
    )
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page
