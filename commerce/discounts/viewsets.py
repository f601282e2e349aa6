"""The discount-code screens in the Wagtail admin (a snippet viewset)."""

from __future__ import annotations

from django.http import Http404
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import DiscountCodeForm
from .models import DiscountCode
from .selectors import discount_codes_for_user
from .services import discount_code_delete, discount_code_saved


class OwnCodeOnlyMixin:
    """A seller who guesses another seller's code id gets a 404, not the code."""

    def get_object(self, *args, **kwargs):
        code = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ["change", "delete", "view"], code
        ):
            raise Http404("No such discount code.")
        return code


class DiscountCodeCreateView(snippet_views.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        discount_code_saved(code=instance)
        return instance


class DiscountCodeEditView(OwnCodeOnlyMixin, snippet_views.EditView):
    def save_instance(self):
        instance = super().save_instance()
        discount_code_saved(code=instance)
        return instance


class DiscountCodeDeleteView(OwnCodeOnlyMixin, snippet_views.DeleteView):
    def delete_action(self):
        discount_code_delete(code=self.object)


class DiscountCodeUsageView(OwnCodeOnlyMixin, snippet_views.UsageView):
    pass


class DiscountCodeHistoryView(OwnCodeOnlyMixin, snippet_views.HistoryView):
    pass


class DiscountValueColumn(Column):
    def get_value(self, instance):
        if instance.kind == "percentage":
            return f"{instance.percent_off} % off"
        from commerce.money import format_money

        return f"{format_money(instance.amount_off or 0, instance.currency)} off"


class DiscountCodeViewSet(SnippetViewSet):
    model = DiscountCode
    icon = "tag"
    menu_label = "Discount codes"
    menu_order = 310
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 25
    search_fields = ["code"]
    list_display = [
        "code",
        DiscountValueColumn("value", label="Discount"),
        Column("starts_at", label="Starts"),
        Column("expires_at", label="Expires"),
        Column("paid_uses", label="Used"),
        Column("usage_limit", label="Limit"),
        Column("get_sync_status_display", label="Dodo"),
        Column("seller", label="Seller"),
    ]
    ordering = ["-created_at", "-pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("seller"),
            FieldPanel("code"),
            FieldRowPanel(
                [FieldPanel("kind"), FieldPanel("percent_off")],
                heading="Percentage",
            ),
            FieldRowPanel(
                [FieldPanel("amount_off"), FieldPanel("currency")],
                heading="Fixed amount",
            ),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("expires_at")]),
            FieldPanel("usage_limit"),
            FieldPanel("products"),
        ],
        base_form_class=DiscountCodeForm,
    )

    add_view_class = DiscountCodeCreateView
    edit_view_class = DiscountCodeEditView
    delete_view_class = DiscountCodeDeleteView
    usage_view_class = DiscountCodeUsageView
    history_view_class = DiscountCodeHistoryView

    def get_queryset(self, request):
        return discount_codes_for_user(user=request.user)

    def register_chooser_viewset(self):
        # Wagtail's chooser lists every instance regardless of owner.
        return None
