"""Django's PostgreSQL backend, with a health check that needs no round trip.

With ``CONN_HEALTH_CHECKS`` Django checks a persistent connection before each
request first uses it, by running ``SELECT 1`` on it: a round trip to a
PostgreSQL backend that must wake up, parse, plan and answer, on every request
that touches the database. For the Dodo webhook that was one statement in
fourteen (make bench, docs/scaling.md).

A connection the server has let go (a restart, a failover, an idle timeout, an
administrator's ``pg_terminate_backend``) is closed by the server: it sends its
farewell (a FATAL error) and closes the socket, which the client's side of the
socket sees as something to read. An idle connection in good health has nothing
to read. So the check asks the kernel first, without waiting: nothing to read,
the connection is kept; anything to read (a farewell, a close, or a harmless
notice), Django's own ``SELECT 1`` decides, exactly as before. After an error
other than a data or integrity error Django asks again before reusing the
connection; that check is always the full one.

What neither check catches quickly is a server that vanished without a word (a
cut network): the query then waits for TCP, as ``SELECT 1`` would have.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if self.errors_occurred or not hasattr(select, "poll"):
            return super().is_usable()
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN)
            quiet = not poller.poll(0)
        except (base.Database.Error, OSError, ValueError):
            return False  # no socket left (psycopg: "the connection is lost")
        return quiet or super().is_usable()
