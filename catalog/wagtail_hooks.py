from wagtail import hooks
from wagtail.documents import get_permission_policy as documents_policy
from wagtail.images import get_permission_policy as images_policy
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import admin_scope
from .dashboard import wagtail_hooks as dashboard_hooks  # noqa: F401
from .permissions import (
    SellerOwnedMediaPermissionPolicy,
    SellerScopedPagePermissionPolicy,
)
from .viewsets import ProductCategoryViewSet

register_permission_policy(Page, SellerScopedPagePermissionPolicy(Page))
# exact_class: wins over the policy wagtail.images/.documents register in their
# AppConfig.ready(), whichever runs first.
for _wagtails in (images_policy(), documents_policy()):
    register_permission_policy(
        _wagtails.model,
        SellerOwnedMediaPermissionPolicy(
            _wagtails.model,
            auth_model=_wagtails.auth_model,
            owner_field_name=_wagtails.owner_field_name,
        ),
        exact_class=True,
    )
register_snippet(ProductCategoryViewSet)

hooks.register("construct_explorer_page_queryset", admin_scope.explorer_queryset)
hooks.register("construct_page_chooser_queryset", admin_scope.chooser_queryset)
hooks.register("before_edit_page", admin_scope.deny_foreign_product)
hooks.register("before_publish_page", admin_scope.deny_foreign_product)
hooks.register("before_unpublish_page", admin_scope.deny_foreign_product)
hooks.register("before_delete_page", admin_scope.deny_foreign_product)
hooks.register("before_copy_page", admin_scope.deny_foreign_product)
hooks.register("before_move_page", admin_scope.deny_foreign_product)
hooks.register("before_bulk_action", admin_scope.deny_foreign_bulk_action)
# After Wagtail's own (order 0) registrations of the two endpoints.
hooks.register("construct_admin_api", admin_scope.scoped_admin_api, order=10)
