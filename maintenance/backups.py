"""Database backups to ``storages["backups"]`` and restores from it.

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with
``pg_restore --clean --if-exists`` in one transaction; SQLite is copied page by page
with the online backup API, so a live site keeps serving while it runs.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

PREFIX = "storefront-db"
EXTENSIONS = {"postgresql": "pgdump", "sqlite": "sqlite3"}
NAME_PATTERN = re.compile(rf"^{PREFIX}-\d{{8}}-\d{{6}}-\d{{6}}\.(pgdump|sqlite3)$")
COMMAND_TIMEOUT = 60 * 60


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    name: str
    size: int  # bytes
    seconds: float
    pruned: list[str]


def backup_storage() -> Storage:
    return storages["backups"]


def backup_create(*, using: str = "default", keep: int | None = None) -> BackupResult:
    """Dump the database to the backups storage and keep the newest ``keep``."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in EXTENSIONS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    started = time.monotonic()
    name = f"{PREFIX}-{timezone.now():%Y%m%d-%H%M%S-%f}.{EXTENSIONS[vendor]}"
    try:
        with tempfile.TemporaryDirectory(prefix="storefront-backup-") as tmp:
            dump = Path(tmp) / name
            if vendor == "postgresql":
                _pg_dump(connection.settings_dict, dump)
            else:
                _sqlite_backup(connection, dump)
            size = dump.stat().st_size
            with dump.open("rb") as fh:
                saved = backup_storage().save(name, File(fh, name=name))
    except OSError as err:
        # A full or read-only disk: no half-written backup may pass for a good one.
        _discard(name)
        reason = err.strerror or str(err)
        raise BackupError(f"The backup could not be written: {reason}.") from err
    pruned = backup_prune(keep=settings.BACKUP_KEEP if keep is None else keep)
    seconds = time.monotonic() - started
    logger.info("Backup %s written: %d bytes in %.2f s", saved, size, seconds)
    return BackupResult(name=saved, size=size, seconds=seconds, pruned=pruned)


def _discard(name: str) -> None:
    try:
        if backup_storage().exists(name):
            backup_storage().delete(name)
    except OSError:
        logger.exception("Partial backup %s could not be removed", name)


def backup_list() -> list[str]:
    """Our backups in the storage, newest first (names sort by time)."""
    try:
        _dirs, files = backup_storage().listdir("")
    except FileNotFoundError:  # a local folder that no backup has created yet
        return []
    return sorted((name for name in files if NAME_PATTERN.match(name)), reverse=True)


def backup_prune(*, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` backups; returns the deleted names."""
    storage = backup_storage()
    stale = backup_list()[max(keep, 1) :]
    for name in stale:
        storage.delete(name)
        logger.info("Backup %s deleted (keeping the newest %d)", name, keep)
    return stale


def backup_restore(*, name: str, using: str = "default") -> float:
    """Replace the database's contents with backup ``name``; returns seconds taken."""
    connection = connections[using]
    vendor = connection.vendor
    if name not in backup_list():
        raise BackupError(f"No backup named {name!r} in the backups storage.")
    if not name.endswith("." + EXTENSIONS.get(vendor, "?")):
        raise BackupError(f"{name} is not a {vendor} backup.")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="storefront-restore-") as tmp:
        dump = Path(tmp) / name
        with backup_storage().open(name, "rb") as src, dump.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        if vendor == "postgresql":
            # pg_restore drops and recreates every table: no session of ours may
            # hold a lock on one meanwhile.
            connection.close()
            _pg_restore(connection.settings_dict, dump)
        else:
            _sqlite_restore(connection, dump)
    seconds = time.monotonic() - started
    logger.info("Backup %s restored in %.2f s", name, seconds)
    return seconds


# --- PostgreSQL -------------------------------------------------------------------


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    args = ["--no-password"]
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools).")
    try:
        subprocess.run(  # noqa: S603 - fixed executable, arguments from settings
            [executable, *command[1:]],
            env=env,
            check=True,
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
        )
    except subprocess.CalledProcessError as err:
        stderr = err.stderr.decode(errors="replace").strip()
        raise BackupError(f"{command[0]} failed: {stderr}") from err


def _pg_dump(settings_dict: dict, target: Path) -> None:
    args, env = _pg_args(settings_dict)
    _run(
        [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            "--file",
            str(target),
            settings_dict["NAME"],
        ],
        env,
    )


def _pg_restore(settings_dict: dict, source: Path) -> None:
    args, env = _pg_args(settings_dict)
    _run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            settings_dict["NAME"],
            str(source),
        ],
        env,
    )


# --- SQLite -----------------------------------------------------------------------


def _sqlite_backup(connection, target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def _sqlite_restore(connection, source: Path) -> None:
    if connection.in_atomic_block:
        raise BackupError("Cannot restore inside a transaction.")
    connection.ensure_connection()
    backup = sqlite3.connect(source)
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()
