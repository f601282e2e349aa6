"""The dashboard's JSON API under the admin (seller-scoped, for charts)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from .analytics import ga4_configured, product_page_views
from .figures import dashboard_figures
from .scope import dashboard_scope

GA4_HOW_TO_CONNECT = (
    "Set GA4_PROPERTY_ID and GA4_CREDENTIALS_FILE (a service-account key with the "
    "Viewer role on the GA4 property) to see page views per product page."
)


@require_GET
def dashboard_api(request):
    """Revenue series per currency, sales per product and, with GA4, page views."""
    scope = dashboard_scope(request)
    figures = dashboard_figures(seller_id=scope.seller_id)
    body = {
        "seller_id": scope.seller_id,
        "computed_at": figures["computed_at"].isoformat(),
        "customers": figures["customers"],
        "months": [month.isoformat() for month in figures["months"]],
        "revenue": figures["revenue"],
        "this_month": figures["this_month"],
        "sales_per_product": figures["sales_per_product"],
        "latest_buyers": [
            {
                "name": row["buyer_name"] or row["buyer_email"],
                "product": row["product_title"],
                "paid_at": row["paid_at"].isoformat(),
                "discount_codes": row["discount_codes"],
            }
            for row in figures["latest_buyers"]
        ],
    }
    if ga4_configured():
        body["page_views"] = product_page_views(seller_id=scope.seller_id)
    else:
        body["ga4"] = GA4_HOW_TO_CONNECT
    return JsonResponse(body)
