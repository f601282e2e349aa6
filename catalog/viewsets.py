"""Admin screens for catalogue snippets."""

from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ProductCategory


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "tag"
    menu_label = "Categories"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "slug", "order"]
    search_fields = ["name", "description"]
    # Plain ORM lookups: the database search backend on SQLite fails when asked
    # to restrict a search to fields, and a handful of categories needs no index.
    search_backend_name = None
    ordering = ["order", "name"]
