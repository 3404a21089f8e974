"""Remembered addresses follow the script prefix the site is mounted under."""

from django.urls import set_script_prefix

from entities.models import Entity
from newsdesk.links import reverse_cached


def test_a_remembered_address_follows_the_script_prefix():
    meta = Entity(kind=Entity.Kind.COMPANY, slug="meta-platforms")
    try:
        assert meta.get_absolute_url() == "/companies/meta-platforms/"
        set_script_prefix("/news/")
        assert meta.get_absolute_url() == "/news/companies/meta-platforms/"
    finally:
        set_script_prefix("/")
    assert meta.get_absolute_url() == "/companies/meta-platforms/"


def test_remembered_addresses_are_those_reverse_gives():
    assert reverse_cached("entities:pair", slug_b="meta-platforms", slug_a="lg-electronics") == (
        "/partnerships/lg-electronics/meta-platforms/"
    )
    assert reverse_cached("articles:story", slug="a-story") == "/stories/a-story/"
