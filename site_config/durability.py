"""Commits that need not wait for the disk, where losing them in a crash is harmless.

PostgreSQL flushes the write-ahead log to disk at every commit (``synchronous_commit
= on``): on this project's hosts that is 4–5 ms, more than everything else a webhook
does. ``SET LOCAL synchronous_commit TO OFF`` lets one transaction commit without
waiting; the database stays consistent whatever happens, and a crash can only lose
the last fraction of a second of such commits. The write-ahead log is sequential, so
the next ordinary commit on the server flushes them too.

Use it only where a lost commit is redone by design: the outbox's "published" mark
(a lost mark makes the relay publish the message again, and tasks are idempotent,
outbox.reliable).

Never for a change of money or access.
"""

from __future__ import annotations

from django.db import connection


def commit_without_waiting_for_disk() -> None:
    """Inside ``transaction.atomic()``: this transaction's commit won't wait for the
    disk (PostgreSQL; other databases keep their own behaviour)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
