"""Video embeds from known providers only: a watch URL becomes the provider's player.

We build the player's ``<iframe>`` ourselves from a video id parsed out of the URL,
so no markup from an oEmbed answer (or a marketer's paste) reaches the page and no
request leaves the server while a page renders. The Content-Security-Policy's
``frame-src`` (settings) allows exactly these players' origins; a test keeps the
two lists together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")


@dataclass(frozen=True)
class VideoEmbed:
    provider: str
    video_id: str
    embed_url: str
    watch_url: str


@dataclass(frozen=True)
class VideoProvider:
    name: str
    player_origin: str


YOUTUBE = VideoProvider("YouTube", "https://www.youtube-nocookie.com")
VIMEO = VideoProvider("Vimeo", "https://player.vimeo.com")
PROVIDERS = (YOUTUBE, VIMEO)


def _youtube_id(host: str, path: str, query: str) -> str | None:
    if host == "youtu.be":
        candidate = path.strip("/").split("/")[0]
    elif host in {"youtube.com", "m.youtube.com", "youtube-nocookie.com"}:
        parts = [part for part in path.split("/") if part]
        if parts == ["watch"]:
            candidate = (parse_qs(query).get("v") or [""])[0]
        elif len(parts) >= 2 and parts[0] in {"embed", "shorts", "live"}:
            candidate = parts[1]
        else:
            return None
    else:
        return None
    return candidate if _YOUTUBE_ID.match(candidate) else None


def _vimeo_id(host: str, path: str) -> str | None:
    parts = [part for part in path.split("/") if part]
    if host == "vimeo.com" and parts:
        candidate = parts[0]
    elif host == "player.vimeo.com" and len(parts) == 2 and parts[0] == "video":
        candidate = parts[1]
    else:
        return None
    return candidate if _VIMEO_ID.match(candidate) else None


def video_embed(url: str) -> VideoEmbed | None:
    """The player for a YouTube or Vimeo URL, or None for anything else."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or parts.username or parts.port:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if video_id := _youtube_id(host, parts.path, parts.query):
        return VideoEmbed(
            YOUTUBE.name,
            video_id,
            f"{YOUTUBE.player_origin}/embed/{video_id}",
            f"https://www.youtube.com/watch?v={video_id}",
        )
    if video_id := _vimeo_id(host, parts.path):
        return VideoEmbed(
            VIMEO.name,
            video_id,
            f"{VIMEO.player_origin}/video/{video_id}",
            f"https://vimeo.com/{video_id}",
        )
    return None
