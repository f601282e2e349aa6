"""Site-wide maintenance mode, enforced before any view runs."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property

from access import roles
from accounts.redirects import safe_redirect_url
from site_config.errors import error_context

from . import bypass
from .state import MaintenanceState, maintenance_state_for_request

DEFAULT_RETRY_AFTER_SECONDS = 600
MIN_RETRY_AFTER_SECONDS = 60


class MaintenanceModeMiddleware:
    """While maintenance is on, answer 503 to everyone but the exempt.

    Exempt: static files, the health check, the Dodo webhook (payments keep being
    recorded), the Wagtail admin login (so staff can sign in and switch it off),
    staff users, and visitors holding the bypass cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Exemptions first: the health check and the webhook must answer even when
        # the database or cache that holds the maintenance state is down.
        if self._is_exempt(request):
            return self.get_response(request)
        state = maintenance_state_for_request(request)
        if state is None:
            return self.get_response(request)
        if bypass.key_in_query_is_valid(request):
            response = HttpResponseRedirect(self._url_without_key(request))
            bypass.grant(request, response)
            return response
        if bypass.cookie_is_valid(request):
            return self.get_response(request)
        # Checked last: it may cost a session and user query.
        if roles.is_staff(request.user):
            # Staff browse a shop nobody else can reach: base.html says so in a
            # banner (their pages carry a session, so none is ever cached).
            request.maintenance_closed_to_others = state
            return self.get_response(request)
        return self._maintenance_response(request, state)

    @cached_property
    def _exempt_prefixes(self) -> tuple[str, ...]:
        return (
            settings.STATIC_URL,
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_password_reset"),
            reverse("wagtailadmin_javascript_catalog"),
        )

    @cached_property
    def _health_paths(self) -> tuple[str, ...]:
        # Probes must see the node, not the maintenance page.
        return (reverse("healthz"), reverse("readyz"))

    def _is_exempt(self, request: HttpRequest) -> bool:
        path = request.path_info
        if path in self._health_paths or path.startswith(self._exempt_prefixes):
            return True
        # The webhook URL is a contract (DESIGN.md); its view verifies signatures.
        return request.method == "POST" and path == "/webhooks/dodo/"

    @staticmethod
    def _url_without_key(request: HttpRequest) -> str:
        query = request.GET.copy()
        query.pop(bypass.QUERY_PARAMETER, None)
        encoded = query.urlencode()
        target = f"{request.path}?{encoded}" if encoded else request.path
        # A path like //evil.example/ would send the browser off-site.
        return safe_redirect_url(request, target)

    @staticmethod
    def _retry_after(state: MaintenanceState) -> int:
        if state.expected_end is None:
            return DEFAULT_RETRY_AFTER_SECONDS
        remaining = (state.expected_end - timezone.now()).total_seconds()
        if remaining <= 0:
            return DEFAULT_RETRY_AFTER_SECONDS
        return max(MIN_RETRY_AFTER_SECONDS, math.ceil(remaining))

    def _maintenance_response(
        self, request: HttpRequest, state: MaintenanceState
    ) -> HttpResponse:
        response = TemplateResponse(
            request,
            "maintenance/maintenance.html",
            error_context(503, maintenance=state, header_minimal=True),
            status=503,
        )
        response["Retry-After"] = str(self._retry_after(state))
        add_never_cache_headers(response)
        return response.render()
