"""The customer panel under ``/account/``: one layout, one navigation, role-agnostic.

A panel page is a view that mixes in ``PanelMixin`` and names its ``active_page``;
the same pages serve a customer and a seller acting as a customer.
"""

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from . import panel_cache


@dataclass(frozen=True)
class PanelLink:
    key: str
    label: str
    path: str


PANEL_LINKS = [
    PanelLink("overview", "Overview", "/account/"),
    PanelLink("products", "My products", "/account/products/"),
    PanelLink("orders", "Order history", "/account/orders/"),
    PanelLink("support", "Support", "/account/support/"),
    PanelLink("profile", "Profile", "/account/profile/"),
    PanelLink("password", "Password", "/account/password/"),
    PanelLink("seller", "Sell with us", "/account/become-a-seller/"),
]


class PanelMixin(LoginRequiredMixin):
    """Login required; adds the panel navigation and the active entry to the context."""

    base_template = "accounts/panel/base.html"
    active_page = "overview"

    def panel_context(self) -> dict:
        return {
            "base_template": self.base_template,
            "active_page": self.active_page,
            "panel_links": PANEL_LINKS,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.panel_context())
        return context


class CachedPanelListMixin(PanelMixin):
    """A panel ``ListView`` whose page is kept per user by ``accounts.panel_cache``;
    on a hit neither the list's queries nor a template run at all.

    The page template prints ``{{ panel_list }}``, the list rendered from
    ``fragment_template`` with the view's context (and ``request``) but no context
    processors.
    """

    fragment_name = ""
    fragment_template = ""

    def fragment_guard(self) -> tuple:
        """Database state the stored list must match (see panel_cache.lookup)."""
        return ()

    def fragment_expires_at(self, context):
        """When time alone changes the list (None: only changes do)."""
        return None

    def get(self, request, *args, **kwargs):
        self.fragment = panel_cache.lookup(
            request, self.fragment_name, guard=self.fragment_guard
        )
        if self.fragment.content is not None:
            content = panel_cache.personal(request, self.fragment.content)
            response = HttpResponse(content)
            response["X-Panel-Cache"] = "hit"
        else:
            # Rendered with CSRF placeholders, stored so, then filled in.
            setattr(request, panel_cache.PLACEHOLDER_FLAG, True)
            try:
                response = super().get(request, *args, **kwargs)
                response.render()
            finally:
                setattr(request, panel_cache.PLACEHOLDER_FLAG, False)
            panel_cache.store(
                request, self.fragment, response, expires_at=self.expires_at
            )
            response.content = panel_cache.personal(request, response.content)
            response["X-Panel-Cache"] = "miss"
        patch_cache_control(response, private=True, no_cache=True)
        return response

    def render_to_response(self, context, **response_kwargs):
        self.expires_at = self.fragment_expires_at(context)
        context["panel_list"] = panel_cache.render_list(
            self.fragment_template, {**context, "request": self.request}
        )
        return super().render_to_response(context, **response_kwargs)
