"""Seller scope: a seller acts only on the products they sell; staff on all.

Wagtail asks ``page.permissions_for_user(user)`` before every page action (edit,
preview, publish, unpublish, delete, copy, move, lock, revisions), so the page
types hand out these testers; the admin hooks narrow the lists and choosers.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester
from wagtail.permission_policies.collections import (
    CollectionOwnershipPermissionPolicy,
)
from wagtail.permission_policies.pages import PagePermissionPolicy


def is_scoped_seller(user) -> bool:
    """A seller who is not staff: limited to their own products in the admin."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_seller
        and not (user.is_staff or user.is_superuser)
    )


def user_may_manage_product(user, product) -> bool:
    return not is_scoped_seller(user) or product.seller_id == user.pk


class ProductPermissionTester(PagePermissionTester):
    """Everything Wagtail allows, except on another seller's product."""

    def _foreign(self) -> bool:
        return not user_may_manage_product(self.user, self.page)

    def can_edit(self):
        return not self._foreign() and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return not self._foreign() and super().can_delete(ignore_bulk)

    def can_publish(self):
        return not self._foreign() and super().can_publish()

    def can_unpublish(self):
        return not self._foreign() and super().can_unpublish()

    def can_submit_for_moderation(self):
        return not self._foreign() and super().can_submit_for_moderation()

    def can_set_view_restrictions(self):
        return not self._foreign() and super().can_set_view_restrictions()

    def can_unschedule(self):
        return not self._foreign() and super().can_unschedule()

    def can_lock(self):
        return not self._foreign() and super().can_lock()

    def can_unlock(self):
        return not self._foreign() and super().can_unlock()

    def can_copy(self):
        return not self._foreign() and super().can_copy()

    def can_move(self):
        return not self._foreign() and super().can_move()

    def can_view_revisions(self):
        return not self._foreign() and super().can_view_revisions()


class ProductIndexPermissionTester(PagePermissionTester):
    """Sellers may add products under the index, but not change the index."""

    def _seller(self) -> bool:
        return is_scoped_seller(self.user)

    def can_edit(self):
        return not self._seller() and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return not self._seller() and super().can_delete(ignore_bulk)

    def can_publish(self):
        return not self._seller() and super().can_publish()

    def can_unpublish(self):
        return not self._seller() and super().can_unpublish()

    def can_set_view_restrictions(self):
        return not self._seller() and super().can_set_view_restrictions()

    def can_lock(self):
        return not self._seller() and super().can_lock()

    def can_unlock(self):
        return not self._seller() and super().can_unlock()

    def can_copy(self):
        return not self._seller() and super().can_copy()

    def can_move(self):
        return not self._seller() and super().can_move()

    def can_reorder_children(self):
        return not self._seller() and super().can_reorder_children()

    def can_view_revisions(self):
        return not self._seller() and super().can_view_revisions()


class SellerScopedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy minus other sellers' products, for scoped sellers.

    The admin's page search, reports and history ask this policy which pages a
    user may see, so the scope covers them without per-view code.
    """

    def _scoped(self, pages, user):
        if not is_scoped_seller(user):
            return pages
        from .models import ProductPage

        return pages.exclude(
            pk__in=ProductPage.objects.exclude(seller=user).values("pk")
        )

    def explorable_instances(self, user):
        return self._scoped(super().explorable_instances(user), user)

    def instances_user_has_any_permission_for(self, user, actions):
        return self._scoped(
            super().instances_user_has_any_permission_for(user, actions), user
        )


class SellerOwnedMediaPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Images and documents: a scoped seller sees and uses only their own uploads.

    Wagtail's policy lets anyone with "choose" on a collection pick every image in
    it; a seller's images are their products' covers and galleries, so another
    seller must not even list them. Every question Wagtail asks (listing,
    chooser, chosen, edit, usage) goes through these methods.
    """

    def _owned(self, instances, user):
        if not is_scoped_seller(user):
            return instances
        return instances.filter(**{self.owner_field_name: user})

    def _foreign(self, user, instance) -> bool:
        owner_id = getattr(instance, f"{self.owner_field_name}_id", None)
        return is_scoped_seller(user) and owner_id != user.pk

    def user_has_permission_for_instance(self, user, action, instance):
        if self._foreign(user, instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if self._foreign(user, instance):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_permission_for(self, user, action):
        return self._owned(
            super().instances_user_has_permission_for(user, action), user
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return self._owned(
            super().instances_user_has_any_permission_for(user, actions), user
        )
