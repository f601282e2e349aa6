"""The customer panel under ``/account/``: one layout, one navigation, role-agnostic.

A panel page is a view that mixes in ``PanelMixin`` and names its ``active_page``;
the same pages serve a customer and a seller acting as a customer.
"""

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            base_template=self.base_template,
            active_page=self.active_page,
            panel_links=PANEL_LINKS,
        )
        return context
