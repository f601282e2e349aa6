"""Site-wide request plumbing: the client's real address, junk URLs refused, and
the security headers (Content-Security-Policy, Permissions-Policy)."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import ip_address, ip_network

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class ProxyHeadersMiddleware:
    """Trust ``X-Forwarded-For``/``-Proto`` only when the peer is our own proxy.

    Behind nginx every request comes from the proxy's address, so throttles, the
    download log and django-axes (which all read ``REMOTE_ADDR``) would see one
    client. When the peer is in ``TRUSTED_PROXIES`` the client is the right-most
    ``X-Forwarded-For`` entry that is not itself a trusted proxy (nginx appends the
    address it saw, so everything left of it is client-supplied and ignored).
    From any other peer the forwarded headers are dropped, so a client talking to
    gunicorn directly can neither pick its address nor claim HTTPS through
    ``SECURE_PROXY_SSL_HEADER``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.trusted = [
            ip_network(net.strip(), strict=False)
            for net in settings.TRUSTED_PROXIES
            if net.strip()
        ]

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.trusted)

    def _client(self, forwarded_for: str) -> str | None:
        for entry in reversed([part.strip() for part in forwarded_for.split(",")]):
            try:
                ip_address(entry)
            except ValueError:
                return None
            if not self._is_trusted(entry):
                return entry
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if self._is_trusted(meta.get("REMOTE_ADDR", "")):
            client = self._client(meta.get("HTTP_X_FORWARDED_FOR", ""))
            if client:
                meta["REMOTE_ADDR"] = client
        else:
            for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO"):
                meta.pop(header, None)
        return self.get_response(request)


def reject_nul_bytes(get_response):
    """A NUL byte in the path or query string is a bad request (400).

    No URL, slug, search term or filter of ours contains one, and PostgreSQL refuses
    NUL in text ("A string literal cannot contain NUL"), so letting one through
    turns a lookup into a 500 wherever it reaches a query.
    """

    def middleware(request):
        if "\x00" in request.path or _query_has_nul(request):
            raise BadRequest("NUL byte in the URL.")
        return get_response(request)

    return middleware


def _query_has_nul(request) -> bool:
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    return False


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's ``CONTENT_SECURITY_POLICY``, relaxed for Wagtail's admin only.

    The shop's own pages load scripts and styles from our origin only. Wagtail's
    admin (and its page previews) still uses inline styles and a few inline
    scripts, so under ``/admin/`` the directives in ``CSP_ADMIN_UPDATE`` are
    added to the policy; a view that sets its own policy keeps it.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if (
            not report_only
            and parts.update is None
            and request.path_info.startswith(settings.CSP_ADMIN_PATH_PREFIX)
        ):
            parts.update = settings.CSP_ADMIN_UPDATE
        return parts


def permissions_policy(get_response):
    """Send ``PERMISSIONS_POLICY``: the browser features the site never uses."""

    def middleware(request):
        response = get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault(
                "Permissions-Policy", settings.PERMISSIONS_POLICY
            )
        return response

    return middleware
