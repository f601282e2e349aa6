"""Wiring only: the admin hooks that ask ``access.policy``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.models import Page

from . import policy, roles


@hooks.register("construct_explorer_page_queryset")
def explorer_queryset(parent_page, pages, request):
    return policy.pages_visible_to(request.user, pages)


@hooks.register("construct_page_chooser_queryset")
def chooser_queryset(pages, request):
    return policy.pages_visible_to(request.user, pages)


@hooks.register("construct_main_menu")
def hide_menu_areas_out_of_scope(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in policy.MENU_AREAS
        or policy.may_enter(request.user, policy.MENU_AREAS[item.name])
    ]


def _refuse_unless(action: str):
    def hook(request, page, *args, **kwargs):
        if not policy.page_allows(request.user, page, action):
            raise PermissionDenied

    hook.__name__ = f"refuse_{action}_out_of_scope"
    return hook


# A second line behind the permission tester, for the views that run hooks.
for _hook, _action in (
    ("before_edit_page", "edit"),
    ("before_publish_page", "publish"),
    ("before_unpublish_page", "unpublish"),
    ("before_delete_page", "delete"),
    ("before_copy_page", "copy"),
    ("before_move_page", "move"),
):
    hooks.register(_hook, _refuse_unless(_action))


@hooks.register("before_bulk_action")
def refuse_bulk_action_out_of_scope(request, action_type, objects, view):
    if roles.is_staff(request.user):
        return
    by_model: dict[type, list] = {}
    for obj in objects:
        model = Page if isinstance(obj, Page) else type(obj)
        by_model.setdefault(model, []).append(obj.pk)
    for model, ids in by_model.items():
        if not policy.objects_visible_to(request.user, model, ids):
            raise PermissionDenied


def scoped_admin_api(router):
    """The admin API's image and document endpoints (the rich-text editor's)
    list only what the policy lets the user see, as the choosers do."""
    from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

    class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
        def get_queryset(self):
            return policy.media_visible_to(
                self.request.user, super().get_queryset(), "uploaded_by_user"
            )

    class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
        def get_queryset(self):
            return policy.media_visible_to(
                self.request.user, super().get_queryset(), "uploaded_by_user"
            )

    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


# After Wagtail's own (order 0) registrations of the two endpoints.
hooks.register("construct_admin_api", scoped_admin_api, order=10)
