"""Wagtail's permission policies and modeladmin helpers, answered by
``access.policy``: no decisions here, each class hands Wagtail's question over.
The page permission tester is in ``access.pages``."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Group, Permission
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.collections import (
    CollectionOwnershipPermissionPolicy,
)
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail_modeladmin.helpers import PermissionHelper

from . import policy


class ScopedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, narrowed by ``access.policy`` (search, reports,
    history, workflows, bulk actions and "your pages" lists all ask it)."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return super().user_has_any_permission_for_instance(
            user, actions, instance
        ) and policy.page_allows_policy_actions(user, instance, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        return policy.pages_actionable_by(
            user, super().instances_user_has_any_permission_for(user, actions)
        )

    def explorable_instances(self, user):
        return policy.pages_visible_to(user, super().explorable_instances(user))


class ScopedMediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Images and documents: Wagtail's collection permissions, narrowed to what
    the policy lets the user see (listing, chooser, chosen, edit, usage)."""

    def user_has_permission_for_instance(self, user, action, instance):
        return policy.media_visible(
            user, instance, self.owner_field_name
        ) and super().user_has_permission_for_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return policy.media_visible(
            user, instance, self.owner_field_name
        ) and super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_permission_for(self, user, action):
        return policy.media_visible_to(
            user,
            super().instances_user_has_permission_for(user, action),
            self.owner_field_name,
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return policy.media_visible_to(
            user,
            super().instances_user_has_any_permission_for(user, actions),
            self.owner_field_name,
        )


class ScopedModelPermissionPolicy(ModelPermissionPolicy):
    """Snippets sellers own (short links, discount codes): Django model
    permissions (the Sellers group's, staff's) decide the action, the policy the
    instance; listings are ``visible_to(user=...)``, the app's selector over the
    same policy."""

    def __init__(self, model, *, visible_to: Callable, **kwargs):
        super().__init__(model, **kwargs)
        self.visible_to = visible_to

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
        return self.visible_to(user=user)


class ScopedRecordsPermissionHelper(PermissionHelper):
    """Records screens (wagtail-modeladmin): read-only, listed to the roles the
    policy lets into ``area``, each row visible only within the user's scope.

    Subclasses set ``area`` and may allow ``editable`` (edit a visible row).
    """

    area: str = ""
    editable = False

    def user_can_list(self, user):
        return policy.may_enter(user, self.area)

    def user_can_inspect_obj(self, user, obj):
        return (
            self.inspect_view_enabled
            and policy.may_enter(user, self.area)
            and policy.record_visible_to(user, obj)
        )

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return (
            self.editable
            and policy.may_enter(user, self.area)
            and policy.record_visible_to(user, obj)
        )

    def user_can_delete_obj(self, user, obj):
        return False


def records_helper(area_name: str) -> type[ScopedRecordsPermissionHelper]:
    """A helper for a staff-only records screen named by its policy area."""
    return type(
        f"{area_name.title().replace('_', '')}PermissionHelper",
        (ScopedRecordsPermissionHelper,),
        {"area": area_name},
    )


def register_policies() -> None:
    from wagtail.documents import get_permission_policy as documents_policy
    from wagtail.images import get_permission_policy as images_policy
    from wagtail.models import Page
    from wagtail.permissions import register_permission_policy

    register_permission_policy(Page, ScopedPagePermissionPolicy(Page))
    # exact_class: wins over the policy wagtail.images/.documents register in
    # their AppConfig.ready(), whichever runs first.
    for wagtails in (images_policy(), documents_policy()):
        register_permission_policy(
            wagtails.model,
            ScopedMediaPermissionPolicy(
                wagtails.model,
                auth_model=wagtails.auth_model,
                owner_field_name=wagtails.owner_field_name,
            ),
            exact_class=True,
        )


def group_grant(group_name: str, app_label: str, codenames) -> None:
    """Give a group these model permissions (idempotent): the runtime twin of a
    data migration, for tests whose database was flushed."""
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    )
