"""Slugs that stay unique among the rows they must differ from."""

from django.utils.text import slugify

SLUG_BASE_LENGTH = 180


def unique_slug(text: str, *, fallback: str, siblings) -> str:
    """Return the slug of `text`, with -2, -3… added until no row of `siblings` has it."""
    base = slugify(text)[:SLUG_BASE_LENGTH].strip("-") or fallback
    slug, suffix = base, 2
    while siblings.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
