"""Backup -> change data -> restore -> data back, on SQLite, PostgreSQL and S3."""

import errno
import os

import boto3
import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection
from moto.server import ThreadedMotoServer

from accounts.models import User
from accounts.tests.factories import UserFactory
from maintenance.backups import BackupError, backup_create, backup_list, backup_restore
from maintenance.tasks import backup_database_task


@pytest.fixture
def backups_dir(settings, tmp_path):
    location = tmp_path / "backups"
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


def _round_trip(capsys):
    UserFactory(email="kept@example.com")

    call_command("backup_database")
    [name] = backup_list()
    assert f"Backup {name}:" in capsys.readouterr().out

    User.objects.filter(email="kept@example.com").delete()
    UserFactory(email="added-after@example.com")

    call_command("restore_database", name, interactive=False)

    emails = set(User.objects.values_list("email", flat=True))
    assert "kept@example.com" in emails
    assert "added-after@example.com" not in emails
    return name


@pytest.mark.django_db(transaction=True)
def test_round_trip_on_the_configured_database(backups_dir, capsys):
    """Runs on SQLite in the plain pass and on PostgreSQL in the services pass."""
    name = _round_trip(capsys)

    dump = (backups_dir / name).read_bytes()
    if connection.vendor == "postgresql":
        assert name.endswith(".pgdump")
        assert dump.startswith(b"PGDMP")  # pg_dump's custom format
    else:
        assert name.endswith(".sqlite3")
        assert dump.startswith(b"SQLite format 3")


@pytest.mark.django_db
def test_keeps_newest_n_and_task_logs(backups_dir, settings, caplog):
    settings.BACKUP_KEEP = 2
    first = backup_create().name
    second = backup_create().name

    with caplog.at_level("INFO", logger="maintenance.backups"):
        result = backup_database_task.delay().get()

    assert backup_list() == [result["name"], second]
    assert first not in {p.name for p in backups_dir.iterdir()}
    assert result["size"] > 0
    assert f"Backup {result['name']} written: {result['size']} bytes in" in caplog.text
    assert f"Backup {first} deleted" in caplog.text


@pytest.mark.django_db
def test_restore_refuses_unknown_names(backups_dir):
    with pytest.raises(BackupError, match="No backup named"):
        backup_restore(name="../../etc/passwd")


@pytest.mark.django_db
def test_restore_lists_backups_without_a_name(backups_dir, capsys):
    name = backup_create().name

    call_command("restore_database")

    assert name in capsys.readouterr().out


@pytest.fixture
def s3_backups(settings):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", **credentials
    ).create_bucket(Bucket="storefront-test")
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "storefront-test",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "location": "backups",
                "default_acl": "private",
            },
        },
    }
    yield boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", **credentials
    )
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_backups_go_to_the_s3_prefix(s3_backups, settings, capsys):
    settings.BACKUP_KEEP = 1
    backup_create()

    name = _round_trip(capsys)

    keys = [
        item["Key"]
        for item in s3_backups.list_objects_v2(Bucket="storefront-test")["Contents"]
    ]
    assert keys == [f"backups/{name}"]  # the older one was pruned


@pytest.mark.django_db(transaction=True)
def test_beat_task_name_runs_the_backup_in_a_worker(celery_worker_redis, backups_dir):
    """What Beat sends (the task name) reaches a real worker through Redis."""
    from site_config.celery import app
    from site_config.tests.faults import TaskOutcomes, wait_for

    outcomes = TaskOutcomes()
    try:
        app.send_task("maintenance.backup_database")
        done = wait_for(lambda: outcomes.results.get("maintenance.backup_database"), 60)
    finally:
        outcomes.close()
    [outcome] = done

    assert backup_list() == [outcome["name"]]
    assert (backups_dir / outcome["name"]).stat().st_size == outcome["size"] > 0


class FullDiskStorage(FileSystemStorage):
    """The disk fills up after the first chunk: a partial file, then ENOSPC."""

    def _save(self, name, content):
        class Filling(File):
            def chunks(self, chunk_size=None):
                yield b"SQLite format 3\x00 half a backup"
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        return super()._save(name, Filling(content.file, name=content.name))


@pytest.mark.chaos
@pytest.mark.django_db
def test_a_full_disk_is_a_clear_command_error_and_leaves_no_partial_backup(
    settings, tmp_path
):
    location = tmp_path / "backups"
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": f"{__name__}.FullDiskStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }

    with pytest.raises(CommandError, match="No space left on device"):
        call_command("backup_database")

    assert list(location.iterdir()) == []
    assert backup_list() == []
