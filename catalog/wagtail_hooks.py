from wagtail.snippets.models import register_snippet

from .dashboard import wagtail_hooks as dashboard_hooks  # noqa: F401
from .viewsets import ProductCategoryViewSet

register_snippet(ProductCategoryViewSet)
