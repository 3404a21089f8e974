"""Addresses of the objects the public pages link to, worked out once each."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_cached(viewname: str, **kwargs) -> str:
    """Return reverse(viewname, kwargs=kwargs), remembered.

    A timeline links a few hundred entities, stories and pairs, and reverse() costs about
    25 µs each; the address depends only on the arguments, the URL configuration and the
    script prefix, which are all in the key.
    """
    return _reverse(
        viewname,
        tuple(sorted(kwargs.items())),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


@lru_cache(maxsize=100_000)
def _reverse(viewname, kwargs, urlconf, script_prefix):
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))
