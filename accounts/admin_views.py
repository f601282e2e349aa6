"""Staff review seller applications in the Wagtail admin: list, inspect, decide."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin

from access.wagtail_policies import records_helper
from commerce.admin_filters import DeclaredFiltersIndexView
from commerce.status_labels import label_html, seller_application_label

from .models import SellerApplication, SellerApplicationStatus
from .services import (
    SellerApplicationRefused,
    seller_application_approve,
    seller_application_decline,
)

DECISIONS = {
    "approve": (
        seller_application_approve,
        "Approve",
        "{user} becomes a seller (the Sellers group) and is told by e-mail.",
    ),
    "decline": (
        seller_application_decline,
        "Decline",
        "{user} is told by e-mail, with your note; they may apply again.",
    ),
}


class SellerApplicationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, **kwargs):
        buttons = super().get_buttons_for_obj(obj, **kwargs)
        if obj.status == SellerApplicationStatus.PENDING:
            for decision, (_, label, _) in DECISIONS.items():
                buttons.append(
                    {
                        "url": reverse(
                            "accounts_seller_application_decide",
                            args=[obj.pk, decision],
                        ),
                        "label": label,
                        "classname": "button button-small button-secondary",
                        "title": f"{label} the application of {obj.user}",
                    }
                )
        return buttons


class SellerApplicationAdmin(ModelAdmin):
    model = SellerApplication
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Seller applications"
    menu_icon = "user"
    menu_order = 250
    add_to_settings_menu = False
    list_display = ("seller_name", "user", "status_label", "created_at", "decided_at")
    list_filter = ("status",)
    ordering = ("-created_at", "-pk")
    search_fields = ("seller_name", "user__email", "offer")
    inspect_view_enabled = True
    inspect_view_fields = (
        "user", "seller_name", "offer", "status", "created_at", "decided_at",
        "decided_by", "decision_note",
    )  # fmt: skip
    permission_helper_class = records_helper("seller_applications")
    button_helper_class = SellerApplicationButtonHelper

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        label = seller_application_label(obj.status, obj.get_status_display())
        return label_html(label)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="Note to the applicant",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent with the decision e-mail.",
    )


def seller_application_decide(request, application_id: int, decision: str):
    """Staff only: approve or decline one pending application."""
    admin = SellerApplicationAdmin()
    if decision not in DECISIONS or not admin.permission_helper.user_can_list(
        request.user
    ):
        raise PermissionDenied
    application = get_object_or_404(
        SellerApplication.objects.select_related("user"), pk=application_id
    )
    service, label, text = DECISIONS[decision]
    back = admin.url_helper.get_action_url("inspect", application.pk)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(
                application_id=application.pk,
                decided_by=request.user,
                note=form.cleaned_data["note"],
            )
        except SellerApplicationRefused as err:
            messages.error(request, str(err))
        else:
            messages.success(
                request, f"{label}d: {application.seller_name} ({application.user})."
            )
        return redirect(admin.url_helper.index_url)
    return render(
        request,
        "accounts/admin/decide.html",
        {
            "title": f"{label} {application.seller_name}?",
            "text": text.format(user=application.user),
            "form": form,
            "action": label,
            "back": back,
        },
    )


def admin_urls():
    return [
        path(
            "accounts/seller-applications/<int:application_id>/<str:decision>/",
            seller_application_decide,
            name="accounts_seller_application_decide",
        )
    ]
