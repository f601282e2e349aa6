"""User create/edit forms for Wagtail's admin screens, fitted to ``accounts.User``."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.users.forms import UserCreationForm, UserEditForm

from .models import User, normalize_email_address

ROLE_FIELDS = ("full_name", "is_customer", "is_seller", "is_marketer", "is_staff")


class _RoleFormMixin(forms.ModelForm):
    # Wagtail's base form declares split names; our model has one full name.
    first_name = None
    last_name = None

    def clean_email(self) -> str:
        email = normalize_email_address(self.cleaned_data["email"])
        clash = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                "An account with this e-mail address already exists.",
                code="duplicate_email",
            )
        return email

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            # save_m2m() rewrote the groups from the ticked boxes: put the role
            # groups back in line with the flags.
            user.sync_role_groups()
        return user


class StorefrontUserCreationForm(_RoleFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = {"email", "is_superuser", "groups", *ROLE_FIELDS}


class StorefrontUserEditForm(_RoleFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = {"email", "is_active", "is_superuser", "groups", *ROLE_FIELDS}
