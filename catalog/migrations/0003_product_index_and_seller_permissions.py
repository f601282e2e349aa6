"""Create /products/ under the home page and give the Sellers group its permissions.

Sellers get add/change/publish on the product index (the page types narrow that
to their own products), category management, and image upload/choose.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
CATEGORY_PERMISSIONS = (
    "add_productcategory",
    "change_productcategory",
    "delete_productcategory",
    "view_productcategory",
)
IMAGE_PERMISSIONS = ("add_image", "choose_image")


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = int(last[-4:], 36) + 1 if last else 1
    digits = ""
    while step:
        step, rest = divmod(step, 36)
        digits = ALPHABET[rest] + digits
    return parent.path + digits.rjust(4, "0")


def _ensure_index(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("home", "HomePage")
    ProductIndexPage = apps.get_model("catalog", "ProductIndexPage")
    index = ProductIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        return None
    content_type, _ = ContentType.objects.get_or_create(
        app_label="catalog", model="productindexpage"
    )
    index = ProductIndexPage.objects.create(
        title="Products",
        draft_title="Products",
        slug="products",
        content_type=content_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}products/",
        locale_id=home.locale_id,
        live=True,
        intro="Templates, e-books, code and courses, updated for life.",
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    return index


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    Collection = apps.get_model("wagtailcore", "Collection")
    group, _ = Group.objects.get_or_create(name="Sellers")
    index = _ensure_index(apps)
    if index is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=index.pk,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
    for codename in CATEGORY_PERMISSIONS:
        group.permissions.add(
            _permission(apps, "catalog", "productcategory", codename)
        )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for codename in IMAGE_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=_permission(apps, "wagtailimages", "image", codename),
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name="Sellers", page__content_type__app_label="catalog"
    ).delete()
    group = Group.objects.filter(name="Sellers").first()
    if group is not None:
        group.permissions.remove(
            *group.permissions.filter(codename__in=CATEGORY_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_gallery_and_scope"),
        ("accounts", "0002_sellers_group"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
