"""Google Analytics 4: page views of a seller's product pages, cached for an hour.

Active only when ``GA4_PROPERTY_ID`` and ``GA4_CREDENTIALS_FILE`` (a service-account
key with read access to the property) are set. The client talks REST, so
``GA4_API_ENDPOINT`` can point it at another server (tests use a local fake).
"""

from __future__ import annotations

import logging

from django.conf import settings
from google.analytics.data_v1beta import BetaAnalyticsDataClient
from google.analytics.data_v1beta.types import (
    DateRange,
    Dimension,
    Filter,
    FilterExpression,
    Metric,
    RunReportRequest,
)
from google.api_core.exceptions import GoogleAPIError
from google.auth.exceptions import GoogleAuthError
from google.oauth2 import service_account
from wagtail.models import Site

from catalog.models import ProductPage
from site_config.cache import cache_get, cache_set

from .cache import ga4_key

logger = logging.getLogger(__name__)

SCOPES = ["https://www.googleapis.com/auth/analytics.readonly"]
PERIOD_DAYS = 28


def ga4_configured() -> bool:
    return bool(settings.GA4_PROPERTY_ID and settings.GA4_CREDENTIALS_FILE)


def ga4_client() -> BetaAnalyticsDataClient:
    credentials = service_account.Credentials.from_service_account_file(
        settings.GA4_CREDENTIALS_FILE, scopes=SCOPES
    )
    options = (
        {"api_endpoint": settings.GA4_API_ENDPOINT}
        if settings.GA4_API_ENDPOINT
        else None
    )
    return BetaAnalyticsDataClient(
        credentials=credentials, transport="rest", client_options=options
    )


def product_page_views(*, seller_id: int | None) -> list[dict] | None:
    """Views of each live product page over the last 28 days, most viewed first.

    ``None`` when GA4 is not configured or did not answer (an error is not cached,
    so the next refresh tries again).
    """
    if not ga4_configured():
        return None
    key = ga4_key(seller_id)
    views = cache_get(key)
    if views is None:
        views = _fetch_page_views(seller_id=seller_id)
        if views is not None:
            cache_set(key, views, settings.GA4_CACHE_SECONDS)
    return views


def _product_paths(seller_id: int | None) -> dict[str, dict]:
    """Public path (as GA4 records ``pagePath``) -> product, for live products."""
    root_path = (
        Site.objects.filter(is_default_site=True)
        .values_list("root_page__url_path", flat=True)
        .first()
    ) or "/"
    products = ProductPage.objects.live()
    if seller_id is not None:
        products = products.filter(seller_id=seller_id)
    paths = {}
    for product in products.values("pk", "title", "url_path"):
        url_path = product["url_path"]
        if url_path.startswith(root_path):
            url_path = "/" + url_path[len(root_path) :]
        paths[url_path] = {"product_id": product["pk"], "title": product["title"]}
    return paths


def page_path_views(paths: list[str]) -> dict[str, int] | None:
    """GA4's page views of each public path over the last 28 days (uncached).

    ``None`` when the report failed (logged); paths GA4 has no row for count 0.
    Callers cache the answer; the dashboard and landing pages both use this.
    """
    if not paths:
        return {}
    request = RunReportRequest(
        property=f"properties/{settings.GA4_PROPERTY_ID}",
        dimensions=[Dimension(name="pagePath")],
        metrics=[Metric(name="screenPageViews")],
        date_ranges=[DateRange(start_date=f"{PERIOD_DAYS}daysAgo", end_date="today")],
        dimension_filter=FilterExpression(
            filter=Filter(
                field_name="pagePath",
                in_list_filter=Filter.InListFilter(values=sorted(paths)),
            )
        ),
    )
    try:
        # One deadline for the token refresh and the report together (google-auth
        # deducts the refresh from it); no retry inside a request.
        response = ga4_client().run_report(
            request=request, timeout=settings.GA4_TIMEOUT_SECONDS, retry=None
        )
    except (GoogleAPIError, GoogleAuthError, OSError, ValueError) as err:
        logger.warning(
            "GA4 report failed for property %s: %s", settings.GA4_PROPERTY_ID, err
        )
        return None
    counts = dict.fromkeys(paths, 0)
    for row in response.rows:
        path = row.dimension_values[0].value
        if path in counts:
            counts[path] += int(row.metric_values[0].value or 0)
    return counts


def _fetch_page_views(*, seller_id: int | None) -> list[dict] | None:
    paths = _product_paths(seller_id)
    if not paths:
        return []
    counts = page_path_views(list(paths))
    if counts is None:
        return None
    views = [
        {**product, "path": path, "views": counts.get(path, 0)}
        for path, product in paths.items()
    ]
    return sorted(views, key=lambda v: (-v["views"], v["title"]))
