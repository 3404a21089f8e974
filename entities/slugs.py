"""Slugs that stay unique among the rows they must differ from."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

SLUG_BASE_LENGTH = 180
# How many times a save looks for a free slug again after concurrent saves took the one it
# found: each one that does has committed, so the next look sees it.
SLUG_ATTEMPTS = 5


def unique_slug(text: str, *, fallback: str, siblings) -> str:
    """Return the slug of `text`, with -2, -3… added until no row of `siblings` has it."""
    base = slugify(text)[:SLUG_BASE_LENGTH].strip("-") or fallback
    slug, suffix = base, 2
    while siblings.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def save_with_unique_slug(instance, *, save, text: str, fallback: str, siblings) -> None:
    """Give `instance` the slug of `text` and `save()` it, taking the next free slug if a
    concurrent save took this one between the look and the insert.

    Each try runs in a savepoint, so that on PostgreSQL the caller's transaction goes on after
    the refused insert. Any other integrity error is raised.
    """
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        instance.slug = unique_slug(text, fallback=fallback, siblings=siblings)
        try:
            with transaction.atomic():
                save()
        except IntegrityError:
            # PostgreSQL refuses the insert only once the other transaction has committed:
            # this look sees its row (unless it was another constraint that failed).
            if attempt == SLUG_ATTEMPTS or not siblings.filter(slug=instance.slug).exists():
                raise
        else:
            return
