"""Video URLs: only YouTube and Vimeo, turned into their players; the CSP agrees."""

import pytest
from django.conf import settings

from home.video import PROVIDERS, video_embed


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=10",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        (
            "https://youtu.be/aqz-KE-bpKQ?si=x",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        (
            "https://youtube.com/shorts/aqz-KE-bpKQ",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871",
        ),
    ],
)
def test_known_players(url, embed):
    assert video_embed(url).embed_url == embed


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=aqz-KE-bpKQ",
        "https://youtube.com.evil.example/watch?v=aqz-KE-bpKQ",
        'https://www.youtube.com/watch?v=bad"id<script>',
        "https://user@www.youtube.com/watch?v=aqz-KE-bpKQ",
        "javascript:alert(1)",
        "https://vimeo.com/channels/staffpicks",
        "",
        "http://[::1",
    ],
)
def test_anything_else_is_refused(url):
    assert video_embed(url) is None


def test_the_content_security_policy_allows_exactly_these_players():
    frame_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]
    for provider in PROVIDERS:
        assert provider.player_origin in frame_src
    assert "https:" not in frame_src and "*" not in frame_src
