"""Seller side of support in the Wagtail admin (wagtail-modeladmin).

A seller sees and handles only requests on their own products; staff see all. Every
change goes through ``support.services``; the admin never writes a field itself.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InstanceSpecificView

from access import policy
from access.wagtail_policies import ScopedRecordsPermissionHelper
from commerce.admin_filters import DeclaredFiltersIndexView
from commerce.status_labels import label_html, support_status_label

from . import selectors, services
from .forms import (
    SellerSupportSettingsForm,
    SupportDetailsForm,
    SupportMessageForm,
    SupportTransitionForm,
)
from .models import SellerSupportSettings, SupportRequest


class SupportRequestPermissionHelper(ScopedRecordsPermissionHelper):
    """Sellers handle (edit) the requests on their own products; staff any."""

    area = "support"
    editable = True


class SupportRequestHandleView(InstanceSpecificView):
    """The request as the seller works on it: status, meeting link, notes, thread."""

    template_name = "support/admin/handle.html"
    page_title = "Support request"

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_edit_obj(user, self.instance)

    def get_support_request(self) -> SupportRequest:
        return selectors.support_request_with_thread(
            queryset=selectors.support_requests_for_seller(user=self.request.user),
            pk=self.instance.pk,
        )

    def get_context_data(self, **kwargs):
        support_request = self.get_support_request()
        allowed = services.support_request_allowed_moves(
            support_request=support_request, user=self.request.user
        )
        context = {
            "support_request": support_request,
            "transition_form": SupportTransitionForm(allowed=allowed)
            if allowed
            else None,
            "details_form": SupportDetailsForm(
                initial={
                    "meeting_link": support_request.meeting_link,
                    "internal_notes": support_request.internal_notes,
                }
            )
            if support_request.is_active
            else None,
            "message_form": SupportMessageForm() if support_request.is_active else None,
            "index_url": self.index_url,
            **kwargs,
        }
        return super().get_context_data(**context)

    def post(self, request, *args, **kwargs):
        support_request = self.instance
        action = request.POST.get("action")
        try:
            if action == "transition":
                self._transition(support_request)
            elif action == "details":
                self._details(support_request)
            elif action == "reply":
                self._reply(support_request)
            else:
                messages.error(request, "Unknown action.")
        except services.SupportError as err:
            messages.error(request, " ".join(err.messages))
        return redirect(self.edit_url)

    def _transition(self, support_request):
        # Not validated against the form's choices: the service is the one judge and
        # refuses an illegal move with a reason the seller can read.
        to_status = self.request.POST.get("to_status", "")
        services.support_request_transition(
            support_request=support_request,
            actor=self.request.user,
            to_status=to_status,
        )
        messages.success(
            self.request, f"Request moved to {support_request.get_status_display()}."
        )

    def _details(self, support_request):
        form = SupportDetailsForm(self.request.POST)
        if not form.is_valid():
            raise services.SupportError(
                [str(e) for errors in form.errors.values() for e in errors]
            )
        services.support_request_update_details(
            support_request=support_request,
            actor=self.request.user,
            meeting_link=form.cleaned_data["meeting_link"],
            internal_notes=form.cleaned_data["internal_notes"],
        )
        messages.success(self.request, "Meeting link and notes saved.")

    def _reply(self, support_request):
        form = SupportMessageForm(self.request.POST)
        if not form.is_valid():
            raise services.SupportError("Write a message first.")
        services.support_message_add(
            support_request=support_request,
            author=self.request.user,
            body=form.cleaned_data["body"],
        )
        messages.success(self.request, "Reply sent to the customer.")


class SupportRequestAdmin(ModelAdmin):
    model = SupportRequest
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Support requests"
    menu_icon = "help"
    menu_order = 300
    add_to_settings_menu = False
    list_display = ("__str__", "product", "customer", "status_label", "created_at")
    list_filter = ("status",)
    list_export = ("request_number", "subject", "product_title", "customer_email",
                   "export_status", "created_at", "updated_at")  # fmt: skip
    export_filename = "support-requests"
    search_fields = ("subject", "message", "customer__email", "product__title")
    ordering = ("-created_at", "-pk")
    list_per_page = 30
    permission_helper_class = SupportRequestPermissionHelper
    edit_view_class = SupportRequestHandleView
    history_view_enabled = False

    def get_queryset(self, request):
        return selectors.support_requests_for_seller(user=request.user).order_by(
            *self.ordering
        )

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return label_html(support_status_label(obj.status, obj.get_status_display()))

    @admin.display(description="Request")
    def request_number(self, obj) -> int:
        return obj.pk

    @admin.display(description="Status")
    def export_status(self, obj) -> str:
        return obj.get_status_display()

    @admin.display(description="Product")
    def product_title(self, obj) -> str:
        return obj.product.title

    @admin.display(description="Customer e-mail")
    def customer_email(self, obj) -> str:
        return obj.customer.email


def seller_support_settings_view(request):
    """``/admin/support/settings/``: the seller's Telegram chat id and pay text."""
    if not policy.may_enter(request.user, "support"):
        raise PermissionDenied
    instance = SellerSupportSettings.objects.filter(seller=request.user).first()
    form = SellerSupportSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.seller_support_settings_update(
            seller=request.user,
            telegram_chat_id=form.cleaned_data["telegram_chat_id"],
            payment_instructions=form.cleaned_data["payment_instructions"],
        )
        messages.success(request, "Support settings saved.")
        return redirect("support_seller_settings")
    return TemplateResponse(request, "support/admin/settings.html", {"form": form})


class OpenSupportRequestsPanel(Component):
    """Admin home: the seller's open requests, oldest first (they have waited most)."""

    name = "open_support_requests"
    template_name = "support/admin/home_panel.html"
    order = 120
    limit = 10

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        open_requests = selectors.support_requests_open_for_seller(
            user=self.request.user
        ).order_by("created_at", "pk")
        context.update(
            support_requests=list(open_requests[: self.limit]),
            open_count=open_requests.count(),
        )
        return context
