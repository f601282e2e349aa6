"""``/account/become-a-seller/``: a customer applies; staff decide in the admin."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from .forms import SellerApplicationForm
from .models import SellerApplication
from .panel import PanelMixin
from .services import SellerApplicationRefused, seller_application_submit


class SellerApplyView(PanelMixin, FormView):
    """The application form, or where the user's application stands.

    Anonymous visitors are sent to log in (or register) and come back here.
    """

    template_name = "accounts/panel/seller_apply.html"
    form_class = SellerApplicationForm
    active_page = "seller"

    def latest_application(self) -> SellerApplication | None:
        return self.request.user.seller_applications.order_by("-created_at").first()

    def get_initial(self):
        return {"seller_name": self.request.user.full_name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.latest_application()
        return context

    def form_valid(self, form):
        try:
            seller_application_submit(
                user=self.request.user,
                seller_name=form.cleaned_data["seller_name"],
                offer=form.cleaned_data["offer"],
            )
        except SellerApplicationRefused as err:
            messages.info(self.request, str(err))
        else:
            messages.success(
                self.request,
                "Thank you! Your application is sent; we will e-mail you our decision.",
            )
        return redirect("accounts:seller_apply")
