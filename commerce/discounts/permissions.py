"""Who may act on which discount code in the Wagtail admin."""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from access import policy

from .selectors import discount_codes_for_user


class DiscountCodePermissionPolicy(ModelPermissionPolicy):
    """Django model permissions decide the action; ``access.policy`` the instance."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return policy.record_visible_to(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance)
            for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return discount_codes_for_user(user=user)


SELLER_PERMISSION_CODENAMES = (
    "add_discountcode",
    "change_discountcode",
    "delete_discountcode",
    "view_discountcode",
)


def sellers_group_grant_discount_permissions() -> None:
    """Give the Sellers group the discount-code permissions (idempotent); the
    runtime twin of the data migration, for tests that flush the database."""
    from django.contrib.auth.models import Group, Permission

    from accounts.models import SELLERS_GROUP

    group, _ = Group.objects.get_or_create(name=SELLERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="commerce",
            codename__in=SELLER_PERMISSION_CODENAMES,
        )
    )
