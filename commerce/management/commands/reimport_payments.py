"""``manage.py reimport_payments --since 2026-12-01T03:00Z``: after a restore.

Lists every payment Dodo took since the backup point and applies each through the
reconciliation path (docs/runbook.md). Safe to run more than once.
"""

from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError

from commerce.dodo import client as dodo
from commerce.dodo.reconcile import FOREIGN, MISSING, payments_reimport


def instant(value: str) -> datetime:
    """ISO 8601 with a time zone (``Z`` or an offset); a bare date is midnight UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise CommandError(
            f"{value!r} is not an ISO 8601 time (e.g. 2026-12-01T03:00Z)."
        ) from err
    if moment.tzinfo is None:
        if len(value) > 10:
            raise CommandError(
                f"{value!r} has no time zone: add Z for UTC or an offset (+01:00)."
            )
        moment = moment.replace(tzinfo=UTC)
    return moment


class Command(BaseCommand):
    help = (
        "Apply every Dodo payment created since a moment (the backup point) to its "
        "order, with its refunds and dispute: grants what was paid, revokes what was "
        "refunded. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            required=True,
            type=instant,
            help="Start of the window, ISO 8601 with a zone: the backup's time "
            "minus a safety margin (e.g. 2026-12-01T02:30Z).",
        )
        parser.add_argument(
            "--until", type=instant, help="End of the window (default: now)."
        )

    def handle(self, *args, since, until=None, **options):
        missing: list[str] = []

        def report(payment_id, outcome, order_id):
            order = f"order #{order_id}" if order_id else "no order"
            self.stdout.write(f"{payment_id}: {outcome} ({order})")
            if outcome == MISSING:
                missing.append(payment_id)

        try:
            tally = payments_reimport(since=since, until=until, report=report)
        except dodo.DodoError as err:
            raise CommandError(
                f"Dodo did not list the payments: {dodo.reason(err)}. Nothing after "
                "the last line above was applied; run the command again."
            ) from err
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())) or "none"
        self.stdout.write(
            f"Payments since {since.isoformat()} re-imported ({summary})."
        )
        if missing:
            self.stderr.write(
                f"{len(missing)} payment(s) name orders this database does not hold "
                f"(created after the backup): {', '.join(missing)}. See "
                "docs/runbook.md, 'Payments whose order was lost'."
            )
        if tally.get(FOREIGN):
            self.stdout.write(
                f"{tally[FOREIGN]} payment(s) name no order of this store (payment "
                "links, dashboard tests): left alone."
            )
        if tally.get("error"):
            raise CommandError(
                f"{tally['error']} payment(s) could not be read from Dodo; run the "
                "command again (it is idempotent)."
            )
