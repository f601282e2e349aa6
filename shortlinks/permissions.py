"""Who may act on which short link in the Wagtail admin."""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

from access import policy

from .selectors import shortlinks_for_user


class ShortLinkPermissionPolicy(ModelPermissionPolicy):
    """Django model permissions decide the action; ownership decides the instance.

    Staff act on every link; a seller (through the Sellers group's permissions)
    only on the links they own.
    """

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
        return shortlinks_for_user(user=user)


SELLER_PERMISSION_CODENAMES = (
    "add_shortlink",
    "change_shortlink",
    "delete_shortlink",
    "view_shortlink",
)


def sellers_group_grant_link_permissions() -> None:
    """Give the Sellers group the short-link permissions (idempotent).

    Migration 0002 does this on a real database; a flushed test database loses
    group permissions, and the tests call this to put them back.
    """
    from django.contrib.auth.models import Group, Permission

    from accounts.models import SELLERS_GROUP

    group, _ = Group.objects.get_or_create(name=SELLERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="shortlinks",
            codename__in=SELLER_PERMISSION_CODENAMES,
        )
    )
