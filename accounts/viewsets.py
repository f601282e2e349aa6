from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .admin_forms import StorefrontUserCreationForm, StorefrontUserEditForm


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update: bool = False):
        return StorefrontUserEditForm if for_update else StorefrontUserCreationForm
