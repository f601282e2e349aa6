"""Refuse (404) any admin URL that names an object outside the user's scope."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail_modeladmin.options import ModelAdmin

from . import policy, roles

# URL arguments of admin views that name a page (Wagtail's own and ours).
PAGE_ARGUMENTS = (
    "page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk",
)  # fmt: skip


class AdminScopeMiddleware:
    """A second line behind the permission policies, and the one that also covers
    views that show an object without asking a policy (the page chooser's
    "browse into" header, a records screen's history): a page argument, a bulk
    action's selection or a records screen's ``instance_pk`` outside the user's
    scope (``access.policy``) is answered as if it did not exist; an area the
    policy shuts (a records screen the user may not list, with all its views,
    Wagtail's reports and workflow set-up) is refused (403). Views Wagtail
    adds later are covered as long as they name their arguments like Wagtail.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(self.admin_prefix):
            return None
        user = getattr(request, "user", None)
        if not roles.works_in_admin(user) or roles.is_staff(user):
            return None
        match = request.resolver_match
        for namespace in match.namespaces if match is not None else ():
            area = policy.URL_NAMESPACE_AREAS.get(namespace)
            if area is not None and not policy.may_enter(user, area):
                raise PermissionDenied
        for name in PAGE_ARGUMENTS:
            if name in view_kwargs and not policy.page_visible_to(
                user, view_kwargs[name]
            ):
                raise Http404
        if _out_of_scope_bulk_selection(request, view_kwargs):
            raise Http404
        model_admin = _model_admin_of(view_func)
        # A records screen's views (including the history view, which asks no
        # permission helper) are shut to anyone the screen does not list for.
        if model_admin is not None and not (
            model_admin.permission_helper.user_can_list(user)
        ):
            raise PermissionDenied
        instance_pk = view_kwargs.get("instance_pk")
        if model_admin is not None and instance_pk is not None:
            visible = model_admin.get_queryset(request)
            if not visible.filter(pk=unquote(str(instance_pk))).exists():
                raise Http404
        return None


def _out_of_scope_bulk_selection(request, view_kwargs) -> bool:
    """A bulk action's confirmation (``?id=…``) naming anything out of scope."""
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
    return not policy.objects_visible_to(request.user, model, ids)


def _model_admin_of(view_func) -> ModelAdmin | None:
    """A records screen's view is a (wrapped) bound method of its ModelAdmin."""
    while view_func is not None:
        owner = getattr(view_func, "__self__", None)
        if isinstance(owner, ModelAdmin):
            return owner
        view_func = getattr(view_func, "__wrapped__", None)
    return None
