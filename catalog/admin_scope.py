"""Admin hook bodies for the seller scope (wired in ``wagtail_hooks.py``)."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.models import Page
from wagtail_modeladmin.options import ModelAdmin

from .models import ProductPage
from .permissions import is_scoped_seller, user_may_manage_product


def pages_without_foreign_products(pages, user):
    """Drop other sellers' products from an admin page queryset."""
    if not is_scoped_seller(user):
        return pages
    foreign = ProductPage.objects.exclude(seller=user).values("pk")
    return pages.exclude(pk__in=foreign)


def explorer_queryset(parent_page, pages, request):
    return pages_without_foreign_products(pages, request.user)


def chooser_queryset(pages, request):
    return pages_without_foreign_products(pages, request.user)


def deny_foreign_product(request, page, *args, **kwargs):
    """before_edit/publish/unpublish/delete/copy/move: a second line behind the
    permission testers (``catalog.permissions``)."""
    specific = page if isinstance(page, ProductPage) else page.specific_deferred
    if isinstance(specific, ProductPage) and not user_may_manage_product(
        request.user, specific
    ):
        raise PermissionDenied


def deny_foreign_bulk_action(request, action_type, objects, action_class_instance):
    if not is_scoped_seller(request.user):
        return
    # Bulk actions run for snippets too (short links...): only pages concern us.
    ids = [obj.pk for obj in objects if isinstance(obj, Page)]
    if ProductPage.objects.filter(pk__in=ids).exclude(seller=request.user).exists():
        raise PermissionDenied


def _owned_media(instances, user):
    if not is_scoped_seller(user):
        return instances
    return instances.filter(uploaded_by_user=user)


def scoped_admin_api(router):
    """construct_admin_api: the admin API's image and document endpoints (used by
    the rich-text editor) list only what a seller uploaded, as the choosers do."""
    from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

    class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
        def get_queryset(self):
            return _owned_media(super().get_queryset(), self.request.user)

    class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
        def get_queryset(self):
            return _owned_media(super().get_queryset(), self.request.user)

    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


# URL arguments of admin views that name a page (Wagtail's own and ours).
PAGE_ARGUMENTS = (
    "page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk",
)  # fmt: skip


class SellerScopeMiddleware:
    """Refuse (404) any admin URL that names an object outside a seller's scope.

    A second line behind the permission policies, and the one that also covers
    views that show an object without asking a policy (the page chooser's
    "browse into" header, a records screen's history): a page argument naming
    another seller's product, or a records-screen ``instance_pk`` outside the
    screen's own queryset, is answered as if it did not exist. Views Wagtail adds
    later are covered as long as they name their arguments like Wagtail does.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(self.admin_prefix):
            return None
        if not is_scoped_seller(getattr(request, "user", None)):
            return None
        page_ids = [view_kwargs[name] for name in PAGE_ARGUMENTS if name in view_kwargs]
        if page_ids and (
            ProductPage.objects.filter(pk__in=page_ids)
            .exclude(seller=request.user)
            .exists()
        ):
            raise Http404
        if _foreign_bulk_selection(request, view_kwargs):
            raise Http404
        model_admin = _model_admin_of(view_func)
        instance_pk = view_kwargs.get("instance_pk")
        if model_admin is not None and instance_pk is not None:
            visible = model_admin.get_queryset(request)
            if not visible.filter(pk=unquote(str(instance_pk))).exists():
                raise Http404
        return None


def _foreign_bulk_selection(request, view_kwargs) -> bool:
    """A bulk action's confirmation (``?id=…``) naming anything not the seller's.

    Fails closed: a model with no known owner is nothing a seller may bulk-act on.
    """
    if request.resolver_match is None or (
        request.resolver_match.url_name != "wagtail_bulk_action"
    ):
        return False
    from django.apps import apps

    try:
        model = apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
    except LookupError:
        return False
    ids = [value for value in request.GET.getlist("id") if value.isdigit()]
    if not ids:
        return False
    if issubclass(model, Page):
        return (
            ProductPage.objects.filter(pk__in=ids).exclude(seller=request.user).exists()
        )
    for owner_field in ("uploaded_by_user", "owner", "seller", "user"):
        try:
            model._meta.get_field(owner_field)
        except Exception:  # noqa: BLE001, S112 - FieldDoesNotExist: try the next
            continue
        return (
            model._default_manager.filter(pk__in=ids)
            .exclude(**{owner_field: request.user})
            .exists()
        )
    return True


def _model_admin_of(view_func) -> ModelAdmin | None:
    """A records screen's view is a (wrapped) bound method of its ModelAdmin."""
    while view_func is not None:
        owner = getattr(view_func, "__self__", None)
        if isinstance(owner, ModelAdmin):
            return owner
        view_func = getattr(view_func, "__wrapped__", None)
    return None
