"""Is maintenance on for this request's site? Answered from the cache.

The middleware asks on every request, so the answer must not cost a database
query: one cache entry holds every site and its switch (a short TTL, forgotten
whenever the setting is saved); a miss rebuilds it with one small query (two while
maintenance is on somewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.http import HttpRequest
from django.http.request import split_domain_port

from site_config.cache import cache_forget_after_commit, cache_get, cache_set

CACHE_KEY = "maintenance:snapshot"
TTL_SECONDS = 30


@dataclass(frozen=True)
class MaintenanceState:
    message: str
    expected_end: datetime | None


def _build_snapshot() -> dict:
    Site = apps.get_model("wagtailcore", "Site")
    MaintenanceSettings = apps.get_model("maintenance", "MaintenanceSettings")
    enabled = {
        row["site_id"]: {
            "message": row["message"],
            "expected_end": row["expected_end"],
        }
        for row in MaintenanceSettings.objects.filter(enabled=True).values(
            "site_id", "message", "expected_end"
        )
    }
    # The usual case, maintenance off everywhere, needs no site lookup at all.
    sites = (
        list(Site.objects.values_list("id", "hostname", "port", "is_default_site"))
        if enabled
        else []
    )
    return {"sites": sites, "enabled": enabled}


def _snapshot() -> dict:
    # An unreachable cache reads as a miss: the database answers (the fallback).
    snapshot = cache_get(CACHE_KEY)
    if snapshot is None:
        snapshot = _build_snapshot()
        cache_set(CACHE_KEY, snapshot, TTL_SECONDS)
    return snapshot


def _site_id_for(sites, hostname: str, port: int) -> int | None:
    """Wagtail's ``get_site_for_hostname`` rules, applied to the cached rows."""
    ranked = []
    for site_id, site_hostname, site_port, is_default in sites:
        if site_hostname == hostname and site_port == port:
            rank = 0
        elif site_hostname == hostname and is_default:
            rank = 1
        elif is_default:
            rank = 2
        elif site_hostname == hostname:
            rank = 3
        else:
            continue
        ranked.append((rank, site_id))
    ranked.sort()
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0][0] in (0, 1):
        return ranked[0][1]
    # The default site came first: one lone hostname match beats it.
    return ranked[1][1] if len(ranked) == 2 else ranked[0][1]


def maintenance_state_for_request(request: HttpRequest) -> MaintenanceState | None:
    """The maintenance state of the request's site, or None when the site is open."""
    snapshot = _snapshot()
    if not snapshot["enabled"]:
        return None
    hostname = split_domain_port(request._get_raw_host())[0]
    try:
        port = int(request.get_port())
    except ValueError:
        port = 80
    site_id = _site_id_for(snapshot["sites"], hostname, port)
    entry = snapshot["enabled"].get(site_id)
    return MaintenanceState(**entry) if entry is not None else None


def forget() -> None:
    """Drop the cached snapshot once the setting's save commits."""
    cache_forget_after_commit([CACHE_KEY])
