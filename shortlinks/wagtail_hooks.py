from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from access.wagtail_policies import ScopedModelPermissionPolicy

from .models import ShortLink
from .selectors import shortlinks_for_user
from .viewsets import ShortLinkViewSet

register_permission_policy(
    ShortLink, ScopedModelPermissionPolicy(ShortLink, visible_to=shortlinks_for_user)
)
register_snippet(ShortLinkViewSet)
