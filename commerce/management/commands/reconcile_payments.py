"""``manage.py reconcile_payments``: heal pending orders whose webhook never came."""

from django.core.management.base import BaseCommand

from commerce.dodo.reconcile import orders_reconcile_pending


class Command(BaseCommand):
    help = "Re-check pending orders older than a few minutes with Dodo and apply them."

    def handle(self, *args, **options):
        tally = orders_reconcile_pending()
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())) or "none"
        self.stdout.write(f"Pending orders re-checked ({summary}).")
