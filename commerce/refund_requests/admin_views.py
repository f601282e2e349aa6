"""Refund requests in the Wagtail admin: the seller (or staff) approves or declines.

The list and each decision are scoped by ``access.policy``: a seller reaches only
requests about their own products, another seller's are a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin

from access import policy
from access.wagtail_policies import records_helper
from commerce.admin_filters import DeclaredFiltersIndexView
from commerce.dodo import client as dodo
from commerce.money import format_money
from commerce.services.refunds import RefundRefused, refundable_left
from commerce.status_labels import label_html, refund_request_label

from .models import RefundRequest, RefundRequestStatus
from .selectors import refund_requests_for_admin
from .services import (
    RefundRequestRefused,
    refund_request_approve,
    refund_request_decline,
)

AREA = "refund_requests"


class RefundRequestButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, **kwargs):
        buttons = super().get_buttons_for_obj(obj, **kwargs)
        if obj.status == RefundRequestStatus.OPEN:
            for action, label in (("approve", "Approve"), ("decline", "Decline")):
                buttons.append(
                    {
                        "url": reverse(
                            f"commerce_refund_request_{action}", args=[obj.pk]
                        ),
                        "label": label,
                        "classname": "button button-small button-secondary",
                        "title": f"{label} refund request #{obj.pk}",
                    }
                )
        return buttons


class RefundRequestAdmin(ModelAdmin):
    model = RefundRequest
    index_view_class = DeclaredFiltersIndexView
    menu_label = "Refund requests"
    menu_icon = "undo"
    list_display = ("__str__", "user", "product", "order", "reason", "status_label",
                    "created_at", "refund_error")  # fmt: skip
    list_filter = ("status", "created_at")
    ordering = ("-created_at", "-pk")
    search_fields = ("user__email", "reason")
    inspect_view_enabled = True
    permission_helper_class = records_helper(AREA)
    button_helper_class = RefundRequestButtonHelper

    def get_queryset(self, request):
        return refund_requests_for_admin(user=request.user)

    @admin.display(description="Product")
    def product(self, obj) -> str:
        return obj.order.product.title

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return label_html(refund_request_label(obj.status, obj.get_status_display()))


def _visible_request(request, request_id: int) -> RefundRequest:
    if not policy.may_enter(request.user, AREA):
        raise PermissionDenied
    found = refund_requests_for_admin(user=request.user).filter(pk=request_id).first()
    if found is None:
        raise Http404("No such refund request")
    return found


def _index_url() -> str:
    return RefundRequestAdmin().url_helper.index_url


def refund_request_approve_view(request, request_id: int):
    found = _visible_request(request, request_id)
    order = found.order
    if request.method == "POST":
        try:
            refund_request_approve(request_id=found.pk, by=request.user)
        except (RefundRequestRefused, RefundRefused) as err:
            messages.error(request, str(err))
        except dodo.DodoUnreachable:
            messages.error(
                request,
                "Dodo did not answer in time, so the refund may or may not have "
                "been made. The request is open again; check the order before "
                "approving once more.",
            )
        except dodo.DodoError as err:
            messages.error(
                request,
                f"Dodo refused the refund: {dodo.reason(err)}. Nothing changed.",
            )
        else:
            messages.success(
                request,
                f"Refund request #{found.pk} approved: the order is being refunded "
                "and the buyer is told by e-mail.",
            )
        return redirect(_index_url())
    left = format_money(refundable_left(order), order.currency)
    return render(
        request,
        "commerce/admin/confirm.html",
        {
            "title": f"Approve refund request #{found.pk}?",
            "text": f"{found.user} asks for a refund of “{order.product.title}” "
            f"(order #{order.pk}): “{found.reason}”. {left} is refunded through "
            "Dodo and the buyer loses access once Dodo confirms it.",
            "action": "Approve and refund",
            "back": _index_url(),
        },
    )


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="Reason (sent to the buyer)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def refund_request_decline_view(request, request_id: int):
    found = _visible_request(request, request_id)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            refund_request_decline(
                request_id=found.pk, by=request.user, note=form.cleaned_data["note"]
            )
        except RefundRequestRefused as err:
            messages.error(request, str(err))
        else:
            messages.success(
                request,
                f"Refund request #{found.pk} declined; the buyer is told by e-mail.",
            )
        return redirect(_index_url())
    return render(
        request,
        "commerce/admin/refund.html",
        {
            "title": f"Decline refund request #{found.pk}?",
            "text": f"{found.user} asks for a refund of “{found.order.product.title}”: "
            f"“{found.reason}”.",
            "form": form,
            "action": "Decline",
            "back": _index_url(),
        },
    )


def admin_urls():
    return [
        path("commerce/refund-requests/<int:request_id>/approve/",
             refund_request_approve_view, name="commerce_refund_request_approve"),
        path("commerce/refund-requests/<int:request_id>/decline/",
             refund_request_decline_view, name="commerce_refund_request_decline"),
    ]  # fmt: skip
