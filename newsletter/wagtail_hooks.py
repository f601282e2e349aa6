from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Subscriber
from .viewsets import SubscriberPermissionPolicy, SubscriberViewSet

register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber))


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet("subscribers")
