"""Signing in and out, registration, e-mail verification and password reset."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from site_config.throttles import throttle

from .forms import (
    EmailAuthenticationForm,
    MagicLinkRequestForm,
    QueuedPasswordResetForm,
    RegistrationForm,
)
from .magic_links import MagicLinkInvalid, magic_link_redeem, magic_link_ttl
from .redirects import after_login_url, safe_next_url
from .services import (
    VerificationSend,
    magic_link_request,
    user_register,
    user_verify_email,
    verification_email_request,
)
from .tokens import VerificationTokenError, verification_token_check

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Session key: whose registration this browser made, its address and ``next``.
REGISTRATION_SESSION_KEY = "registration"


def google_sign_in_enabled() -> bool:
    return bool(
        settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY
        and settings.SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET
    )


class SignInContextMixin:
    """The bits the login and registration pages share: ``next`` and Google."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requested = self.request.GET.get("next")
        context.setdefault("next", safe_next_url(self.request, requested) or "")
        context["google_enabled"] = google_sign_in_enabled()
        return context


class LoginView(SignInContextMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        next_value = self.request.POST.get("next") or self.request.GET.get("next")
        return after_login_url(self.request, self.request.user, next_value)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out.")
        return response


@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
@method_decorator(throttle("registration", field="email"), name="dispatch")
class RegisterView(SignInContextMixin, FormView):
    template_name = "accounts/register.html"
    form_class = RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(after_login_url(request, request.user))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        user = user_register(
            email=email,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        # The same answer whether or not the address had an account (``user`` is
        # None then, and its owner got an e-mail): registering must not reveal
        # who has an account. The new account is signed in by its link, in this
        # browser only (the session remembers whose registration it was).
        self.request.session[REGISTRATION_SESSION_KEY] = {
            "user_id": user.pk if user else None,
            "email": email,
            "next": safe_next_url(self.request, self.request.POST.get("next")) or "",
        }
        return redirect("accounts:register_sent")


class RegisterSentView(TemplateView):
    """The "check your inbox" page, the one answer to every valid registration."""

    template_name = "accounts/register_sent.html"

    def get(self, request, *args, **kwargs):
        pending = request.session.get(REGISTRATION_SESSION_KEY)
        if not pending:
            return redirect("accounts:register")
        return self.render_to_response(self.get_context_data(email=pending["email"]))


class VerifyEmailView(View):
    """Open the link from the e-mail: verify (once; again it only says so), then go
    where the role leads."""

    def get(self, request, token: str):
        try:
            user = verification_token_check(token)
        except VerificationTokenError as err:
            return render(
                request,
                "accounts/verify_failed.html",
                {"reason": err.reason},
                status=400,
            )
        if user.email_verified:
            # Opened again (a second click, a mail scanner's fetch, a retry).
            messages.info(request, "Your e-mail address is already confirmed.")
        else:
            user_verify_email(user=user)
            messages.success(request, "Thank you, your e-mail address is confirmed.")
        pending = request.session.get(REGISTRATION_SESSION_KEY) or {}
        if not request.user.is_authenticated and pending.get("user_id") == user.pk:
            # The browser that registered this account opens its first link.
            request.session.pop(REGISTRATION_SESSION_KEY)
            login(request, user, backend=MODEL_BACKEND)
            return redirect(after_login_url(request, user, pending.get("next")))
        if request.user.is_authenticated and request.user.pk != user.pk:
            return redirect(after_login_url(request, request.user))
        return redirect(after_login_url(request, user))


@method_decorator(throttle("verification_resend"), name="dispatch")
class ResendVerificationView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        outcome = verification_email_request(user=request.user)
        if outcome is VerificationSend.SENT:
            messages.success(request, f"We sent a new link to {request.user.email}.")
        elif outcome is VerificationSend.TOO_SOON:
            messages.warning(
                request,
                "We sent you a link a few minutes ago and it is still valid. "
                "Check your inbox and spam folder, or try again later.",
            )
        else:
            messages.info(request, "Your e-mail address is already confirmed.")
        return redirect("accounts:overview")


@method_decorator(throttle("password_reset", field="email"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@method_decorator(throttle("magic_link", field="email"), name="dispatch")
class MagicLinkRequestView(FormView):
    """'E-mail me my purchases': the same answer whether or not the address has
    an account (only an account's owner gets a link)."""

    template_name = "accounts/magic_link_request.html"
    form_class = MagicLinkRequestForm

    def form_valid(self, form):
        magic_link_request(email=form.cleaned_data["email"])
        return render(
            self.request,
            "accounts/magic_link_sent.html",
            {
                "email": form.cleaned_data["email"],
                "valid_minutes": int(magic_link_ttl().total_seconds() // 60),
            },
        )


class MagicLinkOpenView(View):
    """GET shows a button, POST signs in: a mail scanner fetching the link (a GET)
    must not spend it."""

    template_name = "accounts/magic_link_open.html"

    def get(self, request, token: str):
        return render(request, self.template_name, {"token": token})

    def post(self, request, token: str):
        try:
            user = magic_link_redeem(token=token)
        except MagicLinkInvalid:
            context = {"token": token, "invalid": True}
            return render(request, self.template_name, context, status=400)
        if not user.email_verified:
            # Opening a link sent to the address proves the mailbox.
            user_verify_email(user=user)
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, "You are signed in. Here are your purchases.")
        return redirect("accounts:products")
