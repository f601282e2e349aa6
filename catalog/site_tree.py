"""The product index under the home page, and what the Sellers group may do there.

The data migration ``0003_product_index_and_seller_permissions`` does the same
with historical models; this runtime version rebuilds it after a database flush
(transactional tests) and for ``seed_demo``.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from accounts.models import SELLERS_GROUP
from home.site_tree import ensure_site_tree

from .models import ProductIndexPage

SELLER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
SELLER_MODEL_PERMISSIONS = (
    ("catalog", "add_productcategory"),
    ("catalog", "change_productcategory"),
    ("catalog", "delete_productcategory"),
    ("catalog", "view_productcategory"),
)
SELLER_IMAGE_PERMISSIONS = ("add_image", "choose_image")


def grant_seller_permissions(index: ProductIndexPage) -> None:
    """Sellers add, edit and publish under the index (scoped to their own products
    by ``access.policy``), manage categories, and upload and choose images."""
    group, _ = Group.objects.get_or_create(name=SELLERS_GROUP)
    for codename in SELLER_PAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(
            group=group, page=index, permission=permission
        )
    for app_label, codename in SELLER_MODEL_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    root_collection = Collection.get_first_root_node()
    for codename in SELLER_IMAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailimages", codename=codename
        )
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )


def ensure_product_index() -> ProductIndexPage:
    """The one ``/products/`` page, created if missing, with seller permissions."""
    index = ProductIndexPage.objects.first()
    if index is None:
        home = ensure_site_tree()
        index = home.add_child(
            instance=ProductIndexPage(
                title="Products",
                slug="products",
                intro="Templates, e-books, code and courses, updated for life.",
            )
        )
    grant_seller_permissions(index)
    return index
