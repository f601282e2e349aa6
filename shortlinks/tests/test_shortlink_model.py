"""Slugs and destinations: what a short link may be."""

import pytest
from django.core.exceptions import ValidationError

from shortlinks.models import (
    SLUG_ALPHABET,
    SLUG_GENERATED_LENGTH,
    ShortLink,
    generate_slug,
    validate_destination,
)

from .factories import ShortLinkFactory

pytestmark = pytest.mark.django_db


def test_generated_slug_uses_only_unambiguous_characters():
    slugs = {generate_slug() for _ in range(200)}
    assert len(slugs) > 190
    for slug in slugs:
        assert len(slug) == SLUG_GENERATED_LENGTH
        assert set(slug) <= set(SLUG_ALPHABET)
        assert not set(slug) & set("01ilo")


def test_blank_slug_is_generated_and_unique_on_save():
    first = ShortLinkFactory(slug="")
    second = ShortLinkFactory(slug="")
    assert len(first.slug) == SLUG_GENERATED_LENGTH
    assert first.slug != second.slug
    first.full_clean()


def test_given_slug_is_kept():
    link = ShortLinkFactory(slug="spring-sale")
    assert ShortLink.objects.get(pk=link.pk).slug == "spring-sale"


@pytest.mark.parametrize("slug", ["a", "sale2026", "spring-sale", "x" * 40])
def test_valid_given_slugs_pass(slug):
    ShortLinkFactory.build(slug=slug).full_clean(exclude=["owner"])


@pytest.mark.parametrize(
    "slug",
    ["Spring", "has space", "-lead", "trail-", "x" * 41, "a/b", "ünï", "a_b"],
)
def test_invalid_given_slugs_are_refused(slug):
    with pytest.raises(ValidationError) as info:
        ShortLinkFactory.build(slug=slug).full_clean(exclude=["owner"])
    assert "slug" in info.value.message_dict


def test_duplicate_slug_is_refused():
    ShortLinkFactory(slug="taken")
    with pytest.raises(ValidationError) as info:
        ShortLinkFactory.build(slug="taken").full_clean(exclude=["owner"])
    assert "slug" in info.value.message_dict


@pytest.mark.parametrize(
    "destination",
    [
        "/products/",
        "/products/some-thing/?utm_source=x#top",
        "https://example.com/page",
        "http://example.com:8080/a?b=c",
    ],
)
def test_paths_and_http_urls_are_accepted(destination):
    validate_destination(destination)


@pytest.mark.parametrize(
    "destination",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "mailto:a@example.com",
        "//evil.example.com/",
        "/\\evil.example.com",
        "https://",
        "example.com/page",
        "/path with space",
        " https://example.com",
        "",
    ],
)
def test_other_schemes_and_tricks_are_refused(destination):
    with pytest.raises(ValidationError):
        validate_destination(destination)


def test_model_validation_runs_the_destination_check():
    with pytest.raises(ValidationError) as info:
        ShortLinkFactory.build(destination="javascript:alert(1)").full_clean(
            exclude=["owner"]
        )
    assert "destination" in info.value.message_dict
