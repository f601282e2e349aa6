"""Read-only admin panels of landing pages."""

from __future__ import annotations

from wagtail.admin.panels import Panel


class CampaignLinksPanel(Panel):
    """The page's short link, UTM-tagged URLs to copy, visits and sales."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "home/admin/campaign_links_panel.html"

        def get_context_data(self, parent_context=None):
            from .campaign import landing_page_campaign

            context = super().get_context_data(parent_context)
            page = self.instance
            context["page_saved"] = page.pk is not None
            if page.pk is not None:
                context["campaign"] = landing_page_campaign(page=page)
            return context
