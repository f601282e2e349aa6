"""The customer panel under ``/account/``: one layout, one navigation, role-agnostic.

A panel page is a view that mixes in ``PanelMixin`` and names its ``active_page``;
the same pages serve a customer and a seller acting as a customer.
"""

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin

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
    """A panel ``ListView`` whose list (``fragment_template``) is kept per user by
    ``accounts.panel_cache``; on a hit the list's queries are not run at all.

    The page template prints ``{{ panel_list }}``; ``fragment_template`` gets the
    view's context (and ``request``) but no context processors.
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
        if self.fragment.html is None:
            return super().get(request, *args, **kwargs)
        self.object_list = None  # not loaded: the stored list stands for it
        context = {"view": self, **self.panel_context()}
        context["panel_list"] = panel_cache.render(
            request, self.fragment, self.fragment_template, context
        )
        response = self.render_to_response(context)
        response["X-Panel-Cache"] = "hit"
        return response

    def render_to_response(self, context, **response_kwargs):
        if "panel_list" not in context:
            context["panel_list"] = panel_cache.render(
                self.request,
                self.fragment,
                self.fragment_template,
                {**context, "request": self.request},
                expires_at=self.fragment_expires_at(context),
            )
            response = super().render_to_response(context, **response_kwargs)
            response["X-Panel-Cache"] = "miss"
            return response
        return super().render_to_response(context, **response_kwargs)
