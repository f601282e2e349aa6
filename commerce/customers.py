"""The Customers screen: the people who bought the viewer's products.

A seller sees the buyers of their own products (anyone holding or having held a
grant of one, ``access.policy``'s ``customers`` scope), with how many of those
products they bought and when; staff see every buyer. The figures are counted
over the grants the viewer may see, so a seller never learns what a shared
customer bought from someone else. Read-only; exported like the other records
screens (``commerce.exports``).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail_modeladmin.options import ModelAdmin

from access import policy
from access.wagtail_policies import records_helper

from .admin_filters import DeclaredFiltersIndexView
from .models import PurchasedProduct


def customers_for_admin(*, user) -> QuerySet:
    """Buyers visible to ``user``, each with figures over the visible grants."""
    grants = policy.records_visible_to(user, PurchasedProduct.objects.all())
    per_buyer = grants.filter(user_id=OuterRef("pk")).order_by().values("user_id")
    buyers = policy.records_visible_to(
        user, get_user_model().objects.filter(pk__in=grants.values("user_id"))
    )
    return buyers.annotate(
        products_bought=Coalesce(
            Subquery(
                per_buyer.annotate(n=Count("product_id", distinct=True)).values("n")
            ),
            0,
        ),
        active_grants=Coalesce(
            Subquery(
                per_buyer.filter(revoked_at__isnull=True)
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
        first_purchase=Subquery(per_buyer.annotate(at=Min("granted_at")).values("at")),
        last_purchase=Subquery(per_buyer.annotate(at=Max("granted_at")).values("at")),
    )


class CustomerAdmin(ModelAdmin):
    model = get_user_model()
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Customers"
    menu_icon = "group"
    base_url_path = "commerce/customers"
    permission_helper_class = records_helper("customers")
    list_display = ("email", "full_name", "bought", "active", "first_bought",
                    "last_bought")  # fmt: skip
    list_filter = ()
    search_fields = ("email", "full_name")
    ordering = ("-last_purchase", "-pk")
    inspect_view_enabled = False
    list_export = list_display
    export_filename = "customers"

    def get_queryset(self, request):
        return customers_for_admin(user=request.user)

    @admin.display(description="Products bought", ordering="products_bought")
    def bought(self, obj) -> int:
        return obj.products_bought

    @admin.display(description="With access", ordering="active_grants")
    def active(self, obj) -> int:
        return obj.active_grants

    @admin.display(description="First purchase", ordering="first_purchase")
    def first_bought(self, obj):
        return obj.first_purchase

    @admin.display(description="Last purchase", ordering="last_purchase")
    def last_bought(self, obj):
        return obj.last_purchase
