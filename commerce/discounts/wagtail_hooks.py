from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from access.wagtail_policies import ScopedModelPermissionPolicy

from .models import DiscountCode
from .selectors import discount_codes_for_user
from .viewsets import DiscountCodeViewSet

register_permission_policy(
    DiscountCode,
    ScopedModelPermissionPolicy(DiscountCode, visible_to=discount_codes_for_user),
)
register_snippet(DiscountCodeViewSet)
