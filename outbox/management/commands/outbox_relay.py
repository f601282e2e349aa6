"""Publish pending outbox messages now (what Beat runs as ``outbox.relay``)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from outbox import services


class Command(BaseCommand):
    help = "Publish the outbox's pending messages to Celery (after a broker outage)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age",
            type=float,
            default=0,
            help="Only messages older than this many seconds (default: all).",
        )

    def handle(self, *args, min_age: float, **options):
        counts = services.relay(min_age=timedelta(seconds=min_age))
        self.stdout.write(
            f"Published {counts['published']}; published again (lost by the broker) "
            f"{counts['redelivered']}; {counts['pending']} still pending."
        )
        if counts["pending"]:
            self.stderr.write("Some messages are still pending: is the broker up?")
            raise SystemExit(1)
