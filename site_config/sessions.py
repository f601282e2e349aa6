"""Sessions in PostgreSQL, read through the cache (``SESSION_ENGINE``).

Django's ``cached_db`` engine: every write goes to the database first, then the
cache; a read is one cache call, and the database when the cache misses or is
down (Redis down: sessions work exactly as with the ``db`` engine). It saves one
query on every signed-in request.

One change: a session stays in the cache at most ``SESSION_CACHE_SECONDS``, not
its whole life (two weeks). A logout while Redis is unreachable deletes the row
but cannot delete the cached copy; when Redis comes back, that copy would still
open the session, so it must expire soon. A password change or a deactivated
account ends sessions as before: those checks read the user row on every request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "storefront.session:"

    def _cache_age(self, **kwargs) -> int:
        return min(self.get_expiry_age(**kwargs), settings.SESSION_CACHE_SECONDS)

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - a broken cache is a miss
            data = None
        if data is None:
            row = self._get_session_from_db()
            if not row:
                return {}
            data = self.decode(row.session_data)
            try:
                self._cache.set(
                    self.cache_key, data, self._cache_age(expiry=row.expire_date)
                )
            except Exception:  # noqa: BLE001
                cached_db.logger.warning("session not cached", exc_info=True)
        return data

    def save(self, must_create=False):
        # The database first (the session's full age), then the cache.
        cached_db.DBStore.save(self, must_create)
        try:
            self._cache.set(self.cache_key, self._session, self._cache_age())
        except Exception:  # noqa: BLE001 - the next read falls back to the database
            cached_db.logger.warning("session not cached", exc_info=True)
