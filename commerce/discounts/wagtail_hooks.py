from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .models import DiscountCode
from .permissions import DiscountCodePermissionPolicy
from .viewsets import DiscountCodeViewSet

register_permission_policy(DiscountCode, DiscountCodePermissionPolicy(DiscountCode))
register_snippet(DiscountCodeViewSet)
