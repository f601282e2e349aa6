from django.core.management.base import BaseCommand, CommandError

from maintenance.backups import BackupError, backup_list, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup from the backups storage. "
        "Without a name, list the backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="Backup name (see the list).")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument(
            "--without-checksum",
            action="store_false",
            dest="verify_checksum",
            help="Restore a backup that has no .sha256 file (one made before "
            "checksums, or copied in by hand). The dump is still checked.",
        )

    def handle(
        self, *args, name=None, interactive=True, verify_checksum=True, **options
    ):
        if not name:
            names = backup_list()
            for backup in names:
                self.stdout.write(backup)
            if not names:
                self.stdout.write("No backups yet.")
            return
        if interactive:
            answer = input(
                f"Every table will be replaced by the contents of {name}. "
                "Type 'yes' to continue: "
            )
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            seconds = backup_restore(name=name, verify_checksum=verify_checksum)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(self.style.SUCCESS(f"Restored {name} in {seconds:.2f} s"))
