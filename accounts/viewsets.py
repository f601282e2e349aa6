from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from commerce.selectors import purchases_for_user

from .admin_forms import StorefrontUserCreationForm, StorefrontUserEditForm


class UserEditView(WagtailEditView):
    """Wagtail's user edit screen, plus the user's purchases (visibility only).

    Access itself is granted and revoked by commerce; this screen only shows it.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["purchases"] = purchases_for_user(user=self.object)
        return context


class UserViewSet(WagtailUserViewSet):
    edit_view_class = UserEditView

    def get_form_class(self, for_update: bool = False):
        return StorefrontUserEditForm if for_update else StorefrontUserCreationForm
