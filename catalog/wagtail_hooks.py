from wagtail import hooks
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import admin_scope
from .dashboard import wagtail_hooks as dashboard_hooks  # noqa: F401
from .permissions import SellerScopedPagePermissionPolicy
from .viewsets import ProductCategoryViewSet

register_permission_policy(Page, SellerScopedPagePermissionPolicy(Page))
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
