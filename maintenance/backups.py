"""Database backups to ``storages["backups"]`` and restores from it.

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with
``pg_restore --clean --if-exists`` in one transaction; SQLite is copied page by page
with the online backup API, so a live site keeps serving while it runs.

A dump is verified before it is stored (``pg_restore --list`` reads its whole table
of contents; SQLite's ``PRAGMA integrity_check``) and stored with its SHA-256 in
``<name>.sha256`` (``sha256sum`` format), which a restore checks before touching the
database. On a local disk backups are readable by the owner only (files 0600, the
folder 0700): a dump holds every customer's e-mail and password hash.
"""

from __future__ import annotations

import hashlib
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
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

PREFIX = "storefront-db"
EXTENSIONS = {"postgresql": "pgdump", "sqlite": "sqlite3"}
NAME_PATTERN = re.compile(rf"^{PREFIX}-\d{{8}}-\d{{6}}-\d{{6}}\.(pgdump|sqlite3)$")
COMMAND_TIMEOUT = 60 * 60
CHECKSUM_SUFFIX = ".sha256"
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


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
            backup_verify_file(dump)
            size = dump.stat().st_size
            digest = sha256_of(dump)
            storage = backup_storage()
            with dump.open("rb") as fh:
                saved = storage.save(name, File(fh, name=name))
            storage.save(
                saved + CHECKSUM_SUFFIX, ContentFile(f"{digest}  {saved}\n".encode())
            )
            _owner_only(storage, saved)
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
    for path in (name, name + CHECKSUM_SUFFIX):
        try:
            if backup_storage().exists(path):
                backup_storage().delete(path)
        except OSError:
            logger.exception("Partial backup %s could not be removed", path)


def _owner_only(storage: Storage, name: str) -> None:
    """On a local disk: the backup and its checksum 0600, the folder 0700.

    Object storage has no modes; its backups are written with a private ACL
    (``STORAGES["backups"]``).
    """
    if not isinstance(storage, FileSystemStorage):
        return
    os.chmod(storage.location, DIRECTORY_MODE)
    for path in (name, name + CHECKSUM_SUFFIX):
        os.chmod(storage.path(path), FILE_MODE)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_verify_file(path: Path) -> None:
    """Refuse a dump its own tool cannot read: a truncated or corrupt file."""
    if path.suffix == ".pgdump":
        # Reads the archive's header and whole table of contents, touches no database.
        _run(["pg_restore", "--list", str(path)], dict(os.environ))
        return
    try:
        check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchall()
        finally:
            check.close()
    except sqlite3.DatabaseError as err:
        raise BackupError(
            f"{path.name} is not a readable SQLite database: {err}"
        ) from err
    if result != [("ok",)]:
        problems = "; ".join(str(row[0]) for row in result[:5])
        raise BackupError(f"{path.name} fails SQLite's integrity check: {problems}")


def _checksum_verify(name: str, dump: Path) -> None:
    """The stored SHA-256 must match the bytes about to be restored."""
    storage = backup_storage()
    if not storage.exists(name + CHECKSUM_SUFFIX):
        raise BackupError(
            f"{name} has no checksum file ({name}{CHECKSUM_SUFFIX}); restore it with "
            "--without-checksum only if you trust where it came from."
        )
    with storage.open(name + CHECKSUM_SUFFIX, "rb") as fh:
        expected = fh.read().decode(errors="replace").split()[:1]
    actual = sha256_of(dump)
    if expected != [actual]:
        raise BackupError(
            f"{name} does not match its checksum (expected "
            f"{expected[0] if expected else 'nothing'}, got {actual}): the file is "
            "damaged or was changed; nothing was restored."
        )


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
        if storage.exists(name + CHECKSUM_SUFFIX):
            storage.delete(name + CHECKSUM_SUFFIX)
        logger.info("Backup %s deleted (keeping the newest %d)", name, keep)
    return stale


def backup_restore(
    *, name: str, using: str = "default", verify_checksum: bool = True
) -> float:
    """Replace the database's contents with backup ``name``; returns seconds taken.

    The checksum and the dump's readability are checked first: a damaged backup is
    refused before a single table is dropped.
    """
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
        if verify_checksum:
            _checksum_verify(name, dump)
        backup_verify_file(dump)
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
