"""The short-link screens in the Wagtail admin (a snippet viewset)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from site_config.base_url import absolute_url

from .models import ShortLink
from .selectors import shortlinks_for_user


def short_url_for(request, link: ShortLink) -> str:
    """The full short URL customers will use: on the shop's public address."""
    return absolute_url(link.get_absolute_url())


class ShortUrlColumn(Column):
    cell_template_name = "shortlinks/admin/short_url_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["short_url"] = short_url_for(parent_context["request"], instance)
        return context


class ExpiryColumn(Column):
    cell_template_name = "shortlinks/admin/expiry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["link"] = instance
        context["now"] = timezone.now()
        return context


class OwnLinkOnlyMixin:
    """A seller who guesses another seller's link id gets a 404, not the link."""

    def get_object(self, *args, **kwargs):
        link = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_any_permission_for_instance(
            self.request.user, ["change", "delete", "view"], link
        ):
            raise Http404("No such short link.")
        return link


class ShortLinkCreateView(snippet_views.CreateView):
    def save_instance(self):
        self.form.instance.owner = self.request.user
        return super().save_instance()


class ShortLinkEditView(OwnLinkOnlyMixin, snippet_views.EditView):
    pass


class ShortLinkDeleteView(OwnLinkOnlyMixin, snippet_views.DeleteView):
    pass


class ShortLinkUsageView(OwnLinkOnlyMixin, snippet_views.UsageView):
    pass


class ShortLinkHistoryView(OwnLinkOnlyMixin, snippet_views.HistoryView):
    pass


class ShortLinkViewSet(SnippetViewSet):
    model = ShortLink
    icon = "link"
    menu_label = "Short links"
    menu_order = 300
    add_to_admin_menu = True
    copy_view_enabled = False
    list_per_page = 25
    search_fields = ["slug", "destination"]
    list_display = [
        "slug",
        ShortUrlColumn("short_url", label="Short URL"),
        Column("destination", label="Destination"),
        Column("hit_count", label="Hits"),
        Column("last_hit_at", label="Last hit"),
        ExpiryColumn("expires_at", label="Expiry"),
        Column("owner", label="Owner"),
    ]
    ordering = ["-created_at", "-pk"]
    # The listing's CSV/XLSX export: the same (owner-scoped, searched) rows.
    list_export = [
        "slug", "destination", "hit_count", "last_hit_at", "expires_at", "created_at",
    ]  # fmt: skip
    export_headings = {"hit_count": "Hits", "last_hit_at": "Last hit"}
    export_filename = "short-links"

    add_view_class = ShortLinkCreateView
    edit_view_class = ShortLinkEditView
    delete_view_class = ShortLinkDeleteView
    usage_view_class = ShortLinkUsageView
    history_view_class = ShortLinkHistoryView

    def get_queryset(self, request):
        return shortlinks_for_user(user=request.user)

    def register_chooser_viewset(self):
        # Nothing links to a short link, and Wagtail's chooser lists every
        # instance regardless of owner: leave it out rather than leak links.
        return None
