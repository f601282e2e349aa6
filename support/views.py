"""Customer-side support pages: open a request, follow it, cancel or complete it."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.panel import PanelMixin
from accounts.redirects import safe_redirect_url
from catalog.models import ProductPage
from commerce.selectors import purchase_active_exists
from site_config.throttles import throttle

from . import selectors, services
from .forms import SupportMessageForm, SupportRequestForm
from .models import SupportRequest, SupportStatus


@method_decorator(throttle("support_message"), name="dispatch")
class SupportRequestCreateView(PanelMixin, FormView):
    """``/support/new/<product id>/``: only for a product the user owns right now."""

    template_name = "support/request_form.html"
    form_class = SupportRequestForm
    active_page = "support"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.product = get_object_or_404(ProductPage, pk=kwargs["product_id"])
        if not purchase_active_exists(user=request.user, product_id=self.product.pk):
            raise PermissionDenied("Support is available only for products you own.")
        existing = selectors.support_request_active_for(
            customer=request.user, product_id=self.product.pk
        )
        if existing is not None:
            messages.info(
                request, "You already have an open support request for this product."
            )
            return redirect(existing_url(existing))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(product=self.product, **kwargs)

    def form_valid(self, form):
        try:
            support_request = services.support_request_create(
                customer=self.request.user,
                product=self.product,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
            )
        except services.SupportDuplicateActive as err:
            messages.error(self.request, err.message)
            return redirect(
                existing_url(err.existing) if err.existing else "/account/support/"
            )
        except services.SupportNotAllowed as err:
            raise PermissionDenied(err.message) from err
        messages.success(self.request, "Your request was sent to the seller.")
        return redirect(existing_url(support_request))


def existing_url(support_request: SupportRequest) -> str:
    return reverse("support:detail", args=[support_request.pk])


class CustomerRequestMixin(PanelMixin):
    """Loads ``self.support_request`` among the signed-in user's own requests."""

    active_page = "support"

    def get_support_request(self) -> SupportRequest:
        try:
            return selectors.support_request_with_thread(
                queryset=selectors.support_requests_for_customer(
                    user=self.request.user
                ),
                pk=self.kwargs["pk"],
            )
        except SupportRequest.DoesNotExist as err:
            raise Http404("No such support request.") from err


class SupportRequestDetailView(CustomerRequestMixin, TemplateView):
    """One request: status, history, the conversation and the allowed actions."""

    template_name = "support/request_detail.html"

    def get_context_data(self, **kwargs):
        support_request = self.get_support_request()
        moves = services.support_request_allowed_moves(
            support_request=support_request, user=self.request.user
        )
        payment_instructions = ""
        if support_request.status == SupportStatus.PAYMENT:
            payment_instructions = selectors.seller_payment_instructions(
                seller_id=support_request.product.seller_id
            )
        return super().get_context_data(
            support_request=support_request,
            can_cancel=SupportStatus.CANCELLED in moves,
            can_complete=SupportStatus.COMPLETED in moves,
            message_form=(
                SupportMessageForm()
                if support_request.is_active or support_request.is_reopenable
                else None
            ),
            payment_instructions=payment_instructions,
            **kwargs,
        )


class SupportActionView(CustomerRequestMixin, View, metaclass=ABCMeta):
    """Base for the POST-only actions; failures come back as messages, not 500s."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        support_request = self.get_support_request()
        try:
            self.act(support_request)
        except services.SupportError as err:
            messages.error(request, err.message)
        return redirect(self.next_url(support_request))

    def next_url(self, support_request: SupportRequest) -> str:
        target = self.request.POST.get("next", "")
        return safe_redirect_url(
            self.request, target, fallback=existing_url(support_request)
        )

    @abstractmethod
    def act(self, support_request: SupportRequest) -> None:
        """Each concrete view says what it does with the checked request."""


class SupportCancelView(SupportActionView):
    """Cancel: allowed to the customer in the early stages only (NEW, DISCUSSING)."""

    def act(self, support_request):
        services.support_request_transition(
            support_request=support_request,
            actor=self.request.user,
            to_status=SupportStatus.CANCELLED,
        )
        messages.success(self.request, "The request was cancelled.")


class SupportCompleteView(SupportActionView):
    """Complete: allowed to the customer only while the work is in progress."""

    def act(self, support_request):
        services.support_request_transition(
            support_request=support_request,
            actor=self.request.user,
            to_status=SupportStatus.COMPLETED,
        )
        messages.success(self.request, "Thank you: the request is completed.")


@method_decorator(throttle("support_message"), name="dispatch")
class SupportMessageCreateView(SupportActionView):
    def act(self, support_request):
        form = SupportMessageForm(self.request.POST)
        if not form.is_valid():
            raise services.SupportError("Write a message first.", code="empty")
        services.support_message_add(
            support_request=support_request,
            author=self.request.user,
            body=form.cleaned_data["body"],
        )
        messages.success(self.request, "Message sent.")
