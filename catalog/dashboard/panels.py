"""Dashboard panels on the Wagtail admin home for sellers and staff."""

from __future__ import annotations

from django.conf import settings
from wagtail.admin.ui.components import Component

from commerce.money import format_money

from .analytics import ga4_configured, product_page_views
from .charts import revenue_chart
from .figures import dashboard_figures
from .scope import DashboardScope, dashboard_scope, may_see_dashboard


class DashboardPanel(Component):
    def __init__(self, *, scope: DashboardScope, figures: dict):
        self.scope = scope
        self.figures = figures

    class Media:
        css = {"all": ["css/dashboard.css"]}

    def get_context_data(self, parent_context=None):
        return {"scope": self.scope, "figures": self.figures}


class RevenuePanel(DashboardPanel):
    name = "seller_revenue"
    template_name = "catalog/dashboard/revenue_panel.html"
    order = 10

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        figures = self.figures
        context["this_month"] = [
            format_money(amount, currency)
            for currency, amount in figures["this_month"].items()
        ]
        context["charts"] = [
            revenue_chart(
                currency=currency,
                months=figures["months"],
                values=figures["revenue"][currency],
            )
            for currency in figures["currencies"]
        ]
        return context


class LatestBuyersPanel(DashboardPanel):
    name = "seller_latest_buyers"
    template_name = "catalog/dashboard/latest_buyers_panel.html"
    order = 20

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["buyers"] = [
            {
                **row,
                "net": format_money(
                    row["received"] - row["refunded_amount"], row["currency"]
                ),
            }
            for row in self.figures["latest_buyers"]
        ]
        return context


class ProductAnalyticsPanel(DashboardPanel):
    name = "seller_product_analytics"
    template_name = "catalog/dashboard/product_analytics_panel.html"
    order = 30

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["sales"] = [
            {**row, "net_display": format_money(row["net"], row["currency"])}
            for row in self.figures["sales_per_product"]
        ]
        context["ga4_configured"] = ga4_configured()
        context["page_views"] = product_page_views(seller_id=self.scope.seller_id)
        context["ga4_property_id"] = settings.GA4_PROPERTY_ID
        return context


def dashboard_panels(request) -> list[Component]:
    """The dashboard panels for this user: none for someone who is not a seller."""
    if not may_see_dashboard(request.user):
        return []
    scope = dashboard_scope(request)
    figures = dashboard_figures(seller_id=scope.seller_id)
    return [
        panel(scope=scope, figures=figures)
        for panel in (RevenuePanel, LatestBuyersPanel, ProductAnalyticsPanel)
    ]
