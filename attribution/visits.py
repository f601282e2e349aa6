"""Turning a request into a touch (a short-link redirect or a UTM-tagged page),
and a touch's path into the landing page it is. Recording costs no query."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest, HttpResponse

from site_config.base_url import site_netloc

from .touches import clean_path, has_utm, touch_now, touch_remember, utm_values

logger = logging.getLogger(__name__)


def local_path(request: HttpRequest, url: str) -> str:
    """The path of ``url`` when it is on this shop (a path, or our own host)."""
    parts = urlsplit(url)
    if parts.netloc and parts.netloc.lower() not in (
        site_netloc(),
        request.get_host().lower(),
    ):
        return ""
    return clean_path(parts.path)


def landing_page_id_for(site, path: str) -> int | None:
    """The live landing page of ``site`` at ``path``, if that is one."""
    from wagtail.models import Page

    from home.models import LandingPage

    if site is None or not path:
        return None
    root_path = (
        Page.objects.filter(pk=site.root_page_id)
        .values_list("url_path", flat=True)
        .first()
    )
    if root_path is None:
        return None
    path = path.strip("/")
    url_path = f"{root_path}{path}/" if path else root_path
    return (
        LandingPage.objects.live()
        .filter(url_path=url_path)
        .values_list("pk", flat=True)
        .first()
    )


def short_link_visit_record(
    request: HttpRequest,
    response: HttpResponse,
    *,
    link_id: int,
    slug: str,
    destination: str,
) -> None:
    """A visit through ``/s/<slug>/``: the link, its destination's tags and page."""
    try:
        utm = utm_values(parse_qs(urlsplit(destination).query))
        touch = touch_now(
            link_id=link_id,
            slug=slug,
            path=local_path(request, destination),
            **utm,
        )
        touch_remember(request, response, touch)
    except Exception:  # noqa: BLE001 - attribution never breaks a redirect
        logger.warning("short link visit not attributed", exc_info=True)


def tagged_visit_record(request: HttpRequest, response: HttpResponse) -> None:
    """A page requested with ``utm_*`` tags (the middleware calls this)."""
    utm = utm_values(dict(request.GET.lists()))
    if not has_utm(utm):
        return
    try:
        touch = touch_now(path=clean_path(request.path), **utm)
        touch_remember(request, response, touch)
    except Exception:  # noqa: BLE001 - attribution never breaks a page
        logger.warning("tagged visit not attributed", exc_info=True)
