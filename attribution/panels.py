"""The dashboard's "Sources" panel: sales and revenue by source and per short link."""

from __future__ import annotations

from urllib.parse import urlencode

from wagtail.admin.ui.components import Component

from catalog.dashboard.scope import dashboard_scope, may_see_dashboard

from .models import TouchKind
from .selectors import sales_by_source, sales_per_short_link


class SourcesPanel(Component):
    name = "seller_sources"
    template_name = "attribution/sources_panel.html"
    order = 40

    class Media:
        css = {"all": ["css/dashboard.css"]}

    def __init__(self, *, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        request = self.request
        scope = dashboard_scope(request)
        kind = request.GET.get("credit", TouchKind.LAST)
        if kind not in TouchKind.values:
            kind = TouchKind.LAST
        args = {"user": request.user, "seller_id": scope.seller_id, "kind": kind}

        def credit_url(value: str) -> str:
            query = {"credit": value}
            if scope.seller_id is not None:
                query["seller"] = scope.seller_id
            return f"?{urlencode(query)}"

        return {
            "kind": kind,
            "kinds": [
                {"value": value, "label": label, "url": credit_url(value)}
                for value, label in TouchKind.choices
            ],
            "sources": sales_by_source(**args),
            "links": sales_per_short_link(**args),
        }


def sources_panels(request) -> list[Component]:
    if not may_see_dashboard(request.user):
        return []
    return [SourcesPanel(request=request)]
