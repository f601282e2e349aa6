"""Account panel pages.

The ``Generic*`` views hold the logic and are role-agnostic; the ``Customer*`` views
only choose a template, the active navigation entry and the form, so a customer and a
seller acting as a customer get the same behaviour.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from .forms import ProfileForm
from .panel import PanelMixin
from .services import user_set_password, user_update_profile


class AccountOverviewView(PanelMixin, TemplateView):
    """``/account/``: where customers land after signing in."""

    template_name = "accounts/panel/overview.html"
    active_page = "overview"


class GenericUserProfileView(PanelMixin, FormView):
    """Edit one's own name. The e-mail is shown, never taken from the POST."""

    form_class = ProfileForm
    success_message = "Your profile is saved."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def form_valid(self, form):
        user_update_profile(
            user=self.request.user,
            full_name=form.cleaned_data["full_name"],
            product_update_emails=form.cleaned_data["product_update_emails"],
        )
        messages.success(self.request, self.success_message)
        return redirect(self.request.path)


class GenericPasswordChangeView(PanelMixin, FormView):
    """Change the password, then end every session, this one included."""

    form_class = PasswordChangeForm
    success_message = "Your password is changed. Log in again with the new one."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        # No update_session_auth_hash: the new hash must end every other session.
        user_set_password(
            user=self.request.user, password=form.cleaned_data["new_password1"]
        )
        logout(self.request)
        messages.success(self.request, self.success_message)
        return redirect(settings.LOGIN_URL)


class CustomerProfileView(GenericUserProfileView):
    template_name = "accounts/panel/profile.html"
    active_page = "profile"
    form_class = ProfileForm


class CustomerPasswordChangeView(GenericPasswordChangeView):
    template_name = "accounts/panel/password.html"
    active_page = "password"
    form_class = PasswordChangeForm
