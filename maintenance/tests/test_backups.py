"""Backup -> change data -> restore -> data back, on SQLite, PostgreSQL and S3."""

import errno
import hashlib
import os
import stat

import boto3
import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection
from moto.server import ThreadedMotoServer

from accounts.models import User
from accounts.tests.factories import UserFactory
from maintenance.backups import (
    BackupError,
    backup_create,
    backup_list,
    backup_restore,
    backup_verify_file,
)
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
    # The older one was pruned with its checksum.
    assert sorted(keys) == [f"backups/{name}", f"backups/{name}.sha256"]


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


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_owner_only_with_a_checksum_file(backups_dir):
    name = backup_create().name

    dump = backups_dir / name
    checksum = backups_dir / f"{name}.sha256"
    assert stat.S_IMODE(backups_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(checksum.stat().st_mode) == 0o600
    # sha256sum's format: `sha256sum -c` in the backups folder checks it by hand.
    digest = hashlib.sha256(dump.read_bytes()).hexdigest()
    assert checksum.read_text() == f"{digest}  {name}\n"
    assert backup_list() == [name]  # the checksum is not a backup of its own


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(backups_dir):
    UserFactory(email="kept@example.com")
    name = backup_create().name
    UserFactory(email="added-after@example.com")
    dump = backups_dir / name
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore_database", name, interactive=False)

    emails = set(User.objects.values_list("email", flat=True))
    assert "added-after@example.com" in emails  # the database was not touched


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_checksum_needs_the_explicit_flag(backups_dir):
    UserFactory(email="kept@example.com")
    name = backup_create().name
    (backups_dir / f"{name}.sha256").unlink()
    UserFactory(email="added-after@example.com")

    with pytest.raises(CommandError, match="has no checksum file"):
        call_command("restore_database", name, interactive=False)
    call_command("restore_database", name, interactive=False, verify_checksum=False)

    emails = set(User.objects.values_list("email", flat=True))
    assert "kept@example.com" in emails
    assert "added-after@example.com" not in emails


@pytest.mark.django_db
def test_pruning_removes_the_checksum_too(backups_dir):
    first = backup_create().name
    second = backup_create(keep=1).name

    assert sorted(p.name for p in backups_dir.iterdir()) == [
        second,
        f"{second}.sha256",
    ]
    assert first != second


@pytest.mark.parametrize("suffix", [".sqlite3", ".pgdump"])
def test_a_truncated_dump_fails_verification(tmp_path, suffix):
    """What backup_create checks before storing and restore checks before using."""
    dump = tmp_path / f"storefront-db-20261201-030000-000000{suffix}"
    if suffix == ".sqlite3":
        import sqlite3

        db = sqlite3.connect(dump)
        db.execute("create table t (x)")
        db.executemany("insert into t values (?)", [("x" * 500,)] * 200)
        db.commit()
        db.close()
        backup_verify_file(dump)  # the whole file is fine
        dump.write_bytes(dump.read_bytes()[: 4096 * 3])
        match = "integrity check|not a readable SQLite"
    else:
        dump.write_bytes(b"PGDMP\x01\x0e\x00\x04\x08\x01\x01 truncated")
        match = "pg_restore"
    with pytest.raises(BackupError, match=match):
        backup_verify_file(dump)
