from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .models import ShortLink
from .permissions import ShortLinkPermissionPolicy
from .viewsets import ShortLinkViewSet

register_permission_policy(ShortLink, ShortLinkPermissionPolicy(ShortLink))
register_snippet(ShortLinkViewSet)
