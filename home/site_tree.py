"""The rows every Wagtail site needs: locale, root page and collection, home, Site."""

from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from accounts.models import ensure_sellers_group

from .models import HomePage

HOME_DEFAULTS = {
    "title": "Storefront",
    "hero_heading": "Digital products, updated for life",
    "hero_text": "Templates, e-books, code and courses from independent sellers.",
}


def ensure_site_tree() -> HomePage:
    """Create whatever is missing of the site skeleton and return the home page.

    Migrations create these rows once; this rebuilds them after a database flush
    (transactional tests) and lets ``seed_demo`` repair a damaged tree.
    """
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(slug="home", **HOME_DEFAULTS))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
    if site.root_page_id != home.pk or not site.site_name:
        site.root_page = home
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save(update_fields=["root_page", "site_name"])
    ensure_sellers_group()
    return home
