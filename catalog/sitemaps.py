"""The sitemap as an index of sections: pages (Wagtail's own), then products in
pages of ``ProductSitemap.limit``.

Wagtail's single sitemap loads every page as its specific class and asks each for
its URL: 2.4 s of CPU per request at 10,000 products. Here the product section
reads only ``url_path`` and the publication date of one page of products, and
builds each URL from the site root's path, and ``section`` writes the XML directly
(Django's sitemap template costs ~1 ms per URL); the page cache stores every section.

Every ``<loc>``, the index's included, is on the shop's public address
(``site_config.base_url``), as canonical links and e-mails are: not on the host the
crawler happened to use, nor on Wagtail's ``Site`` record (``localhost:80`` in a
fresh install).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Site

from site_config.base_url import absolute_url, site_url

from .models import ProductPage


class PagesSitemap(WagtailSitemap):
    """Every live public page that is not a product (home, listing, landing),
    except landing pages marked noindex."""

    def items(self):
        from home.models import LandingPage

        hidden = LandingPage.objects.filter(noindex=True).values("pk")
        return super().items().not_type(ProductPage).exclude(pk__in=hidden)

    def _urls(self, page, protocol, domain):
        # Wagtail writes each page's full URL from its Site record: keep the
        # path (and query), put it on the shop's public address.
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            parts = urlsplit(url["location"])
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            url["location"] = absolute_url(path)
        return urls


class ProductSitemap(DjangoSitemap):
    limit = 5000

    def __init__(self, request=None):
        self.request = request
        self._root_path = None

    def items(self):
        return (
            ProductPage.objects.live()
            .public()
            .order_by("path")
            # Tuples, not pages: building a Page instance costs ~0.5 ms.
            .values_list("url_path", "last_published_at")
        )

    def _site_root_path(self) -> str:
        if self._root_path is None:
            site = Site.find_for_request(self.request) or Site.objects.get(
                is_default_site=True
            )
            self._root_path = site.root_page.url_path
        return self._root_path

    def location(self, item: tuple) -> str:
        return "/" + item[0].removeprefix(self._site_root_path())

    def lastmod(self, item: tuple):
        return item[1]

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every product.
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]


SITEMAPS = {"pages": PagesSitemap, "products": ProductSitemap}


class PublicSite:
    """What Django's ``Sitemap.get_urls`` reads of a site: its domain."""

    def __init__(self, domain: str):
        self.domain = domain


def index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: each section, and each further page of a paged one, on
    the shop's public address (Django's own index writes the request's host)."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    for name, sitemap_class in SITEMAPS.items():
        location = absolute_url(reverse("sitemap-section", kwargs={"section": name}))
        pages = sitemap_class(request).paginator.num_pages
        for page in range(1, pages + 1):
            url = location if page == 1 else f"{location}?p={page}"
            parts.append(f"<sitemap><loc>{escape(url)}</loc></sitemap>")
    parts.append("</sitemapindex>\n")
    return HttpResponse("".join(parts), content_type="application/xml")


def section(request: HttpRequest, section: str) -> HttpResponse:
    """One section (one page of it, ``?p=``) of the sitemap index, as XML."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}")
    public = urlsplit(site_url())
    try:
        urls = SITEMAPS[section](request).get_urls(
            page=request.GET.get("p", 1),
            site=PublicSite(public.netloc),
            protocol=public.scheme,
        )
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(f"No page {request.GET.get('p')!r}") from error
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    for url in urls:
        lastmod = url.get("lastmod")
        parts.append(
            f"<url><loc>{escape(url['location'])}</loc>"
            + (f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>" if lastmod else "")
            + "</url>"
        )
    parts.append("</urlset>\n")
    return HttpResponse("".join(parts), content_type="application/xml")
