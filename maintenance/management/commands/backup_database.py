from django.core.management.base import BaseCommand, CommandError

from maintenance.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Dump the database to the backups storage and keep the newest BACKUP_KEEP."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep", type=int, help="Keep this many newest backups (default: setting)."
        )

    def handle(self, *args, keep=None, **options):
        try:
            result = backup_create(keep=keep)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup {result.name}: {result.size} bytes in {result.seconds:.2f} s"
            )
        )
        for name in result.pruned:
            self.stdout.write(f"Deleted old backup {name}")
