"""The admin access policy: who may see what, and do what, in the Wagtail admin.

One module answers every scope question, for every kind of admin object:

* **areas** (menu entries and records screens): ``may_enter(user, area)``;
* **records** (orders, purchases, download audit, support requests, short links):
  ``records_visible_to(user, queryset)`` and ``record_visible_to(user, obj)``;
* **pages**: ``page_actions(user, page)`` (what a page permission tester may
  allow), ``pages_visible_to`` (explorer, search, reports, choosers, URL
  arguments) and ``pages_actionable_by`` (Wagtail's "pages you may edit" lists);
* **images and documents**: ``media_visible_to`` and ``media_visible``.

It fails closed: an area, record model, page type or page action it does not
name is refused to everyone but staff, so a screen or permission Wagtail adds
later stays shut for sellers and marketers until it is granted here. Staff (and
superusers) are never narrowed: for them Wagtail's own permissions decide.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from . import roles

STAFF = "staff"
SELLER = "seller"
MARKETER = "marketer"

# The collection marketers' images and documents live in.
MARKETING_COLLECTION = "Marketing"


def admin_roles(user) -> frozenset[str]:
    """The scoped roles a user works under in the admin (several may apply)."""
    if roles.is_staff(user):
        return frozenset({STAFF})
    found = set()
    if roles.is_seller(user):
        found.add(SELLER)
    if roles.is_marketer(user):
        found.add(MARKETER)
    return frozenset(found)


# ---------------------------------------------------------------- areas
# Which scoped roles may enter each admin area. Staff enter every area.
AREAS: dict[str, frozenset[str]] = {
    "pages": frozenset({SELLER, MARKETER}),
    "images": frozenset({SELLER, MARKETER}),
    "documents": frozenset({SELLER, MARKETER}),
    "product_categories": frozenset({SELLER}),
    "orders": frozenset({SELLER}),
    "purchases": frozenset({SELLER}),
    "downloads": frozenset({SELLER}),
    "support": frozenset({SELLER}),
    "sales_dashboard": frozenset({SELLER}),
    "customers": frozenset({SELLER}),
    "shortlinks": frozenset({SELLER}),
    "discount_codes": frozenset({SELLER}),
    "refund_requests": frozenset({SELLER}),
    # Newsletter subscribers are marketing data: marketers list, inspect and
    # export them (SUBSCRIBER_ACTIONS); sellers never see them.
    "subscribers": frozenset({MARKETER}),
    # Staff only, named so the table reads as a whole:
    "refunds": frozenset(),
    "webhook_events": frozenset(),
    "dodo_customers": frozenset(),
    "dodo_products": frozenset(),
    "schedules": frozenset(),
    "settings": frozenset(),
    "users": frozenset(),
    "seller_applications": frozenset(),
    # Wagtail's reports list every seller's drafts (page types usage) and
    # uploads (site history): staff's.
    "reports": frozenset(),
    # Setting up workflows and their tasks (the task chooser included).
    "workflows": frozenset(),
}

# Admin URL namespaces that make up an area (checked by access.middleware for
# every view in them, including views Wagtail adds to the namespace later).
URL_NAMESPACE_AREAS: dict[str, str] = {
    "wagtailadmin_reports": "reports",
    "wagtailadmin_workflows": "workflows",
}
# Main-menu entries (by name) that open an area.
MENU_AREAS: dict[str, str] = {
    "reports": "reports",
}


def may_enter(user, area: str) -> bool:
    """May ``user`` see this admin area (its menu entry, listing, panels)?"""
    if roles.is_staff(user):
        return True
    return bool(AREAS.get(area, frozenset()) & admin_roles(user))


# What a scoped role may do with newsletter subscribers (Wagtail's model-policy
# actions; the listing's CSV/XLSX export is part of "view"). Deleting one (an
# erasure request) is staff's; nobody adds or edits them in the admin.
SUBSCRIBER_ACTIONS: dict[str, frozenset[str]] = {
    MARKETER: frozenset({"view"}),
}


def subscriber_action_allowed(user, action: str) -> bool:
    """May ``user`` take ``action`` on subscribers? Staff: Wagtail's permissions
    decide; a marketer: view and export; anyone else: nothing."""
    if roles.is_staff(user):
        return True
    if not may_enter(user, "subscribers"):
        return False
    return any(
        action in SUBSCRIBER_ACTIONS.get(role, frozenset())
        for role in admin_roles(user)
    )


# ---------------------------------------------------------------- records
# Records screens: model label -> (area, path from the record to its owner, the
# seller for sales records). A path through a to-many relation (a customer: any
# of their purchases) is matched as "has at least one", never duplicating rows.
RECORDS: dict[str, tuple[str, str]] = {
    "accounts.user": ("customers", "purchased_products__product__seller"),
    "commerce.order": ("orders", "product__seller"),
    "commerce.purchasedproduct": ("purchases", "product__seller"),
    "commerce.downloadevent": ("downloads", "product__seller"),
    "support.supportrequest": ("support", "product__seller"),
    "shortlinks.shortlink": ("shortlinks", "owner"),
    "commerce.discountcode": ("discount_codes", "seller"),
    "commerce.refundrequest": ("refund_requests", "order__product__seller"),
}


def records_visible_to(user, queryset: QuerySet) -> QuerySet:
    """Narrow a records queryset to what ``user`` may see: staff all; a user the
    area admits, the records they own (a seller's: those of their products);
    anyone else, and any model not named here, none."""
    if roles.is_staff(user):
        return queryset
    entry = RECORDS.get(queryset.model._meta.label_lower)
    if entry is None:
        return queryset.none()
    area, owner_path = entry
    if not may_enter(user, area):
        return queryset.none()
    if _through_many(queryset.model, owner_path):
        owned = queryset.model._default_manager.filter(**{owner_path: user})
        return queryset.filter(pk__in=owned.values("pk"))
    return queryset.filter(**{owner_path: user})


def _through_many(model, owner_path: str) -> bool:
    field = model._meta.get_field(owner_path.split("__", 1)[0])
    return bool(field.one_to_many or field.many_to_many)


def record_visible_to(user, obj) -> bool:
    """``records_visible_to`` for one loaded record, without a query (listings
    ask it per row; their querysets select the owner's relations)."""
    if roles.is_staff(user):
        return True
    entry = RECORDS.get(obj._meta.label_lower)
    if entry is None:
        return False
    area, owner_path = entry
    if not may_enter(user, area):
        return False
    if _through_many(type(obj), owner_path):
        return records_visible_to(
            user, type(obj)._default_manager.filter(pk=obj.pk)
        ).exists()
    *relations, owner = owner_path.split("__")
    target = obj
    for name in relations:
        target = getattr(target, name, None)
        if target is None:
            return False
    return getattr(target, f"{owner}_id", None) == user.pk


def records_area(model) -> str | None:
    entry = RECORDS.get(model._meta.label_lower)
    return entry[0] if entry else None


# ---------------------------------------------------------------- pages
# Page kinds by model label; a page type not named here is staff-only.
PRODUCT = "product"
PRODUCT_INDEX = "product_index"
MARKETING = "marketing"
PAGE_KINDS: dict[str, str] = {
    "catalog.productpage": PRODUCT,
    "catalog.productindexpage": PRODUCT_INDEX,
    "home.homepage": MARKETING,
    "home.landingpage": MARKETING,
}

# Every action of Wagtail's PagePermissionTester (``can_<action>``) known today.
# A new one is refused to sellers and marketers until it is listed here.
SELLER_PRODUCT_ACTIONS = frozenset(
    {
        "edit", "delete", "publish", "unpublish", "submit_for_moderation",
        "set_view_restrictions", "unschedule", "lock", "unlock", "copy", "move",
        "view_revisions", "move_to", "copy_to",
    }
)  # fmt: skip
SELLER_INDEX_ACTIONS = frozenset({"add_subpage", "publish_subpage"})
MARKETER_PAGE_ACTIONS = frozenset(
    {
        "add_subpage", "edit", "delete", "publish", "unpublish",
        "submit_for_moderation", "unschedule", "lock", "unlock", "copy", "move",
        "view_revisions", "publish_subpage", "reorder_children", "move_to",
        "copy_to",
    }
)  # fmt: skip
# Taken away from authors where a review workflow applies (see page_actions).
PUBLISHING = frozenset({"publish", "publish_subpage"})
# The home page is the site's root: it is edited, never removed or moved.
MARKETER_HOME_REFUSED = frozenset({"delete", "unpublish", "copy", "move"})

# Wagtail's permission-policy actions, as tester actions.
POLICY_ACTIONS = {
    "add": "add_subpage",
    "change": "edit",
    "publish": "publish",
    "lock": "lock",
    "unlock": "unlock",
    "delete": "delete",
    "bulk_delete": "delete",
}


class _Everything:
    """Staff: no narrowing, Wagtail's own permissions decide."""

    def __contains__(self, action) -> bool:
        return True


EVERYTHING = _Everything()


def page_kind(page) -> str | None:
    specific_class = page.specific_class or type(page)
    return PAGE_KINDS.get(specific_class._meta.label_lower)


def _seller_id(page):
    seller_id = getattr(page, "seller_id", None)
    if seller_id is None and page_kind(page) == PRODUCT:
        seller_id = page.specific_deferred.seller_id
    return seller_id


def _review_workflow(page):
    from wagtail.models import Page

    if type(page) is Page:  # the page type decides (catalog.OptionalWorkflowPage)
        page = page.specific_deferred
    return page.get_workflow()


def _reviews(user, workflow) -> bool:
    """Does ``user`` decide a task of ``workflow`` (a member of one of its group
    approval tasks' groups, e.g. Marketing leads)?"""
    from wagtail.models import GroupApprovalTask

    return GroupApprovalTask.objects.filter(
        active=True,
        workflow_tasks__workflow=workflow,
        groups__in=user.groups.all(),
    ).exists()


def page_actions(user, page):
    """The tester actions (``edit``, ``publish``…) ``user`` may take on ``page``.

    Staff get ``EVERYTHING`` (Wagtail decides); a scoped user gets the union of
    what each of their roles allows. This only ever narrows: Wagtail's group
    permissions must also allow an action.
    """
    found = admin_roles(user)
    if STAFF in found:
        return EVERYTHING
    kind = page_kind(page)
    allowed: set[str] = set()
    if SELLER in found:
        if kind == PRODUCT and _seller_id(page) == user.pk:
            allowed |= SELLER_PRODUCT_ACTIONS
        elif kind == PRODUCT_INDEX:
            allowed |= SELLER_INDEX_ACTIONS
    if MARKETER in found and kind == MARKETING:
        actions = set(MARKETER_PAGE_ACTIONS)
        if (page.specific_class or type(page))._meta.label_lower == "home.homepage":
            actions -= MARKETER_HOME_REFUSED
        allowed |= actions
    if allowed & PUBLISHING:
        # Under a review workflow (landing pages always; products with
        # SELLER_PRODUCT_WORKFLOW) publishing is approving: the author submits,
        # only the workflow's reviewers (Marketing leads) publish, which approving
        # does on their behalf. A new subpage inherits its parent's workflow.
        workflow = _review_workflow(page)
        if workflow is not None and not _reviews(user, workflow):
            allowed -= PUBLISHING
    return frozenset(allowed)


def page_allows(user, page, action: str) -> bool:
    return action in page_actions(user, page)


def page_allows_policy_actions(user, page, actions) -> bool:
    """Wagtail's policy vocabulary (``change``, ``publish``…): any allowed?"""
    allowed = page_actions(user, page)
    return any(
        POLICY_ACTIONS.get(action, f"?{action}") in allowed for action in actions
    )


def _product_ids():
    from catalog.models import ProductPage

    return ProductPage.objects


def pages_visible_to(user, pages: QuerySet) -> QuerySet:
    """Pages ``user`` may see named in the admin (explorer, search, reports,
    history, choosers, URL arguments): everything but other sellers' products;
    a marketer also sees live products (to choose them for grids)."""
    found = admin_roles(user)
    if STAFF in found:
        return pages
    products = _product_ids()
    visible = Q(pk__in=[])
    if SELLER in found:
        visible |= Q(seller=user)
    if MARKETER in found:
        visible |= Q(live=True)
    return pages.exclude(pk__in=products.exclude(visible).values("pk"))


def products_owned_by(user, products: QuerySet) -> QuerySet:
    """Products ``user`` may attach their own things to (discount codes): staff
    every product, a seller only their own, anyone else none. Narrower than
    ``pages_visible_to``: a marketer-seller sees others' live products there."""
    if roles.is_staff(user):
        return products
    if SELLER in admin_roles(user):
        return products.filter(seller=user)
    return products.none()


def page_visible_to(user, page_id) -> bool:
    from wagtail.models import Page

    return pages_visible_to(user, Page.objects.filter(pk=page_id)).exists()


def pages_actionable_by(user, pages: QuerySet) -> QuerySet:
    """Pages ``user`` may act on: a seller their products and the index, a
    marketer the home and landing pages."""
    found = admin_roles(user)
    if STAFF in found:
        return pages
    from django.contrib.contenttypes.models import ContentType

    by_kind: dict[str, list[int]] = {}
    for label, kind in PAGE_KINDS.items():
        app_label, model = label.split(".")
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        by_kind.setdefault(kind, []).append(content_type.pk)
    allowed = Q(pk__in=[])
    if SELLER in found:
        allowed |= Q(content_type__in=by_kind[PRODUCT_INDEX])
        allowed |= Q(pk__in=_product_ids().filter(seller=user).values("pk"))
    if MARKETER in found:
        allowed |= Q(content_type__in=by_kind[MARKETING])
    return pages.filter(allowed)


# ---------------------------------------------------------------- media
def media_visible_to(user, instances: QuerySet, owner_field: str) -> QuerySet:
    """Images/documents: a seller sees their own uploads, a marketer those in the
    Marketing collection (Wagtail's collection permissions apply on top)."""
    found = admin_roles(user)
    if STAFF in found:
        return instances
    visible = Q(pk__in=[])
    if SELLER in found:
        visible |= Q(**{owner_field: user})
    if MARKETER in found:
        visible |= Q(collection__name=MARKETING_COLLECTION)
    return instances.filter(visible)


def media_visible(user, instance, owner_field: str) -> bool:
    found = admin_roles(user)
    if STAFF in found:
        return True
    if SELLER in found and getattr(instance, f"{owner_field}_id", None) == user.pk:
        return True
    if MARKETER in found:
        collection = getattr(instance, "collection", None)
        return getattr(collection, "name", None) == MARKETING_COLLECTION
    return False


def objects_visible_to(user, model, ids) -> bool:
    """Are all of ``ids`` of ``model`` within ``user``'s scope? (bulk actions)"""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    queryset = model._default_manager.filter(pk__in=ids)
    if roles.is_staff(user):
        return True
    if issubclass(model, Page):
        visible = pages_visible_to(user, queryset)
    elif model in (get_image_model(), get_document_model()):
        visible = media_visible_to(user, queryset, "uploaded_by_user")
    else:
        visible = records_visible_to(user, queryset)
    return visible.count() == queryset.count()
