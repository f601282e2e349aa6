"""Touches: where a visitor came from (a short link, ``utm_*`` tags), remembered.

A *touch* is one arrival through a short link or a UTM-tagged URL: the link, the
``utm_source``/``utm_medium``/``utm_campaign`` values and the path on this shop it
led to, with the time. Which landing page that path is gets looked up once, when
an order is credited (``attribution.services``): a redirect or a cached page costs
no query for it. The visitor's first and last touch of the last 30 days live in
one signed cookie (``ATTRIBUTION_COOKIE``) holding nothing personal: no user id,
no address, only what the link itself said.

Why a signed cookie and not the session: the anonymous page cache
(``site_config.page_cache``) serves only requests without a session cookie, so a
session started on every tagged visit would take each such visitor out of the
cache for the rest of their visit. The attribution cookie is not one of the cache's
bypass cookies and no page varies on it, so the visitor keeps being served cached
pages; it is only written on the response to a visit that carries a short link or
``utm_*`` tags (and not again when the same campaign is merely reloaded).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

ATTRIBUTION_COOKIE = "sf_src"
COOKIE_SALT = "attribution.touches"
WINDOW_SECONDS = 30 * 24 * 3600
# A tagged request this soon after a touch with the same tags continues it (a
# reload, or the short link's own tagged destination): no new touch, no cookie.
SAME_VISIT_SECONDS = 30 * 60
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")
VALUE_MAX_LENGTH = 100
PATH_MAX_LENGTH = 200


@dataclass(frozen=True)
class Touch:
    at: int  # Unix time
    link_id: int | None = None
    slug: str = ""
    source: str = ""
    medium: str = ""
    campaign: str = ""
    path: str = ""  # where on this shop the visit landed

    def continued_by(self, other: Touch) -> bool:
        """Is ``other`` (a tagged request without a short link) the same visit?"""
        return (
            other.link_id is None
            and 0 <= other.at - self.at <= SAME_VISIT_SECONDS
            and (self.source, self.medium, self.campaign)
            == (other.source, other.medium, other.campaign)
            and other.path == self.path
        )

    def expired(self, now: int) -> bool:
        return now - self.at > WINDOW_SECONDS


@dataclass(frozen=True)
class Touches:
    first: Touch | None = None
    last: Touch | None = None


def _clean(value, limit: int = VALUE_MAX_LENGTH) -> str:
    text = str(value or "").strip()
    return "".join(ch for ch in text if ch.isprintable())[:limit]


def clean_path(value) -> str:
    """A local path (``/spring/``), or "" for anything else."""
    path = _clean(value, PATH_MAX_LENGTH)
    return path if path.startswith("/") and not path.startswith("//") else ""


def utm_values(query: dict[str, list[str]]) -> dict[str, str]:
    """``source``/``medium``/``campaign`` from a parsed query string (cleaned)."""
    return {
        key.removeprefix("utm_"): _clean((query.get(key) or [""])[0])
        for key in UTM_KEYS
    }


def utm_values_of_url(url: str) -> dict[str, str]:
    return utm_values(parse_qs(urlsplit(url).query))


def has_utm(values: dict[str, str]) -> bool:
    return any(values.values())


def _touch_from(raw) -> Touch | None:
    if not isinstance(raw, dict):
        return None
    try:
        return Touch(
            at=int(raw["at"]),
            link_id=int(raw["link_id"]) if raw.get("link_id") is not None else None,
            slug=_clean(raw.get("slug")),
            source=_clean(raw.get("source")),
            medium=_clean(raw.get("medium")),
            campaign=_clean(raw.get("campaign")),
            path=clean_path(raw.get("path")),
        )
    except (KeyError, TypeError, ValueError):
        return None


def touches_read(request: HttpRequest, *, now: int | None = None) -> Touches:
    """The visitor's first and last touch of the last 30 days (either may be None).

    A missing, forged or malformed cookie reads as no touches.
    """
    now = int(time.time()) if now is None else now
    raw = request.COOKIES.get(ATTRIBUTION_COOKIE)
    if not raw:
        return Touches()
    try:
        data = signing.loads(raw, salt=COOKIE_SALT, max_age=WINDOW_SECONDS)
    except (signing.BadSignature, ValueError):
        return Touches()
    if not isinstance(data, dict):
        return Touches()
    first, last = _touch_from(data.get("first")), _touch_from(data.get("last"))
    first = None if first is None or first.expired(now) else first
    last = None if last is None or last.expired(now) else last
    if last is None:
        return Touches(first=first, last=None)
    return Touches(first=first or last, last=last)


def touches_after(current: Touches, touch: Touch) -> Touches | None:
    """The touches once ``touch`` happened, or None when nothing changes."""
    if current.last is not None and current.last.continued_by(touch):
        return None
    first = current.first if current.first is not None else touch
    return Touches(first=first, last=touch)


def touch_remember(request: HttpRequest, response: HttpResponse, touch: Touch) -> bool:
    """Record ``touch`` for this visitor on ``response``; True when it was written.

    The response is marked private: it sets (or would set) per-visitor state, so a
    shared cache (CDN) must not keep it.
    """
    response["Cache-Control"] = "private, no-cache"
    updated = touches_after(touches_read(request, now=touch.at), touch)
    if updated is None:
        return False
    payload = signing.dumps(
        {"first": asdict(updated.first), "last": asdict(updated.last)},
        salt=COOKIE_SALT,
        compress=True,
    )
    response.set_cookie(
        ATTRIBUTION_COOKIE,
        payload,
        max_age=WINDOW_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return True


def touch_now(**fields) -> Touch:
    return replace(Touch(at=int(time.time())), **fields)
