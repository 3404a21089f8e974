"""The fetcher never reaches addresses outside the public internet, nor other schemes."""

import socket

import pytest

from intake.fetch import Fetcher, UnsafeAddress, check_address
from tests.intake.pages import serve, serve_site


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # the cloud metadata service
        "fe80::1",
        "fc00::1",
        "224.0.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one we bind
        "240.0.0.1",
        "100.64.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_internal_addresses_are_refused(address):
    with pytest.raises(UnsafeAddress):
        check_address(address)


def test_public_addresses_are_allowed():
    check_address("93.184.216.34")
    check_address("2606:4700::6810:85e5")


def test_loopback_is_allowed_only_by_the_setting(settings):
    settings.INTAKE_ALLOW_LOOPBACK = True
    check_address("127.0.0.1")
    with pytest.raises(UnsafeAddress):
        check_address("10.0.0.1")


def test_local_server_is_refused_when_loopback_is_not_allowed(settings, httpserver):
    settings.INTAKE_ALLOW_LOOPBACK = False
    serve_site(httpserver)
    serve(httpserver, "/story", "<p>inside</p>")
    with pytest.raises(UnsafeAddress, match="loopback"):
        Fetcher().get(httpserver.url_for("/story"))
    assert httpserver.log == []


def test_host_resolving_to_a_private_address_among_public_ones_is_refused(monkeypatch):
    def resolve(host, port, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(UnsafeAddress, match=r"10\.0\.0\.7"):
        Fetcher().get("https://news.example/story")


def test_redirect_to_an_internal_address_is_refused(settings, httpserver):
    settings.INTAKE_ALLOW_LOOPBACK = True
    serve_site(httpserver)
    httpserver.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    with pytest.raises(UnsafeAddress, match=r"169\.254\.169\.254"):
        Fetcher().get(httpserver.url_for("/go"))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://news.example/story",
        "gopher://news.example/",
        "http://user:secret@news.example/story",
        "http:///no-host",
        "http://news.example:99999/",
    ],
)
def test_other_schemes_credentials_and_bad_addresses_are_refused(url):
    with pytest.raises(UnsafeAddress):
        Fetcher().get(url)
