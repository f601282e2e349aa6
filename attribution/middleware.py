"""Remember UTM-tagged arrivals (short links are recorded by their redirect view).

Placed before (outside) ``AnonymousPageCacheMiddleware``: a page served from the
cache passes through here too, so a cached tagged page still records the touch,
and the cookie is added after the cache decided what to store (a stored page
never carries it). Only a tagged page's response is touched: every other request
passes through untouched and stays cacheable by browsers and CDNs.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from .visits import tagged_visit_record

SKIPPED_PREFIXES = ("/admin/", "/s/", "/webhooks/", "/dodo-sandbox/", "/static/")


class AttributionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "GET"
            and any(key.startswith("utm_") for key in request.GET)
            and request.headers.get("HX-Request") != "true"
            and not request.path.startswith(SKIPPED_PREFIXES)
            and (
                response.status_code == 304
                or (
                    response.status_code == 200
                    and response.get("Content-Type", "").startswith("text/html")
                )
            )
        ):
            tagged_visit_record(request, response)
        return response
