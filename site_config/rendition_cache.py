"""Wagtail's rendition cache, written once per key instead of on every image tag.

Wagtail's ``Image.get_rendition`` (what ``{% image %}`` calls) stores the rendition
in the "renditions" cache every time, even when it was just read from there or
from the renditions prefetched with the page's products. ``LocMemCache`` pickles
what it stores, and a rendition pickles with its image and the image's prefetched
renditions: on a listing that is not served from the page cache (a search seen for
the first time, a signed-in visitor's page) those writes were ~14 % of the
request's CPU (py-spy), for values already held.

A rendition never changes under its key (the image's id and file hash, the focal
point's hash, the filter spec), so a key held and not expired is left as it is.
Wagtail's own deletes (``purge_from_cache`` when a rendition or its image goes)
still apply, and the timeout now does what the settings say: an entry lives
``TIMEOUT`` seconds from its write, not for as long as pages keep rewriting it.
"""

from __future__ import annotations

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class RenditionCache(LocMemCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version=version):
            return
        super().set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        for key, value in data.items():
            self.set(key, value, timeout, version)
        return []
