"""Forms of the sign-in flows and the account panel."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from .models import SellerApplication, User, normalize_email_address
from .services import password_reset_request


class EmailAuthenticationForm(AuthenticationForm):
    """Log in by e-mail; the field keeps the name ``username`` that axes reads."""

    username = forms.EmailField(
        label="E-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail and password do not match an account.",
        "inactive": "This account is deactivated. Contact us if that is a mistake.",
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # ModelBackend refuses inactive users as if the password were wrong; tell
            # the person who proved the password what actually happened.
            user = User.objects.filter(
                email=normalize_email_address(self.cleaned_data.get("username", ""))
            ).first()
            password = self.cleaned_data.get("password") or ""
            if user and not user.is_active and user.check_password(password):
                raise self.get_inactive_user_error() from None
            raise

    def get_inactive_user_error(self):
        return forms.ValidationError(self.error_messages["inactive"], code="inactive")


class MagicLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        # An address that has an account already is not an error here: telling
        # the visitor so would reveal who has an account (the view answers the
        # same and e-mails the owner instead).
        return normalize_email_address(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""), full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as err:
                self.add_error("password1", err)
        return cleaned


class ProfileForm(forms.ModelForm):
    """Name and update e-mails: the e-mail is the login and stays read-only."""

    class Meta:
        model = User
        fields = ["full_name", "product_update_emails"]


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes out through a Celery task."""

    def save(self, **kwargs) -> None:
        email = self.cleaned_data["email"]
        password_reset_request(users=self.get_users(normalize_email_address(email)))


class SellerApplicationForm(forms.ModelForm):
    """What a customer tells staff when applying to sell."""

    class Meta:
        model = SellerApplication
        fields = ["seller_name", "offer"]
        widgets = {"offer": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
