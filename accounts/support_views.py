"""``/account/support/``: the user's own support requests (as a customer).

The generic view holds the logic; subclasses only choose the layout, as the spec's
``GenericMySupportListView`` / ``CustomerMySupportListView`` pair describes.
"""

from django.views.generic import ListView

from support.models import SupportStatus
from support.selectors import support_requests_for_customer
from support.services import support_request_allowed_moves

from .panel import CachedPanelListMixin


class GenericMySupportListView(ListView):
    """The signed-in user's requests, each marked with whether it can be cancelled
    or completed by them now."""

    paginate_by = 20
    context_object_name = "support_requests"

    def get_queryset(self):
        return support_requests_for_customer(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for support_request in context["support_requests"]:
            moves = support_request_allowed_moves(
                support_request=support_request, user=self.request.user
            )
            support_request.can_cancel = SupportStatus.CANCELLED in moves
            support_request.can_complete = SupportStatus.COMPLETED in moves
        return context


class CustomerMySupportListView(CachedPanelListMixin, GenericMySupportListView):
    template_name = "support/my_requests.html"
    active_page = "support"
    fragment_name = "support"
    fragment_template = "support/_my_requests.html"
