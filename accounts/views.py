from django.views.generic import TemplateView

from .panel import PanelMixin


class AccountOverviewView(PanelMixin, TemplateView):
    """``/account/``: where customers land after signing in."""

    template_name = "accounts/panel/overview.html"
    active_page = "overview"
