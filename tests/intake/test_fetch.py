"""The safe fetcher against a local server: what it reads and what it refuses."""

import shutil
import ssl
import subprocess
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from intake.fetch import (
    FEED_TYPES,
    Fetcher,
    FetchError,
    FetchTimeout,
    HTTPError,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)
from tests.conftest import require_service
from tests.intake.pages import STORY_EN_TEXT, serve, serve_site, story_page

OPENSSL = shutil.which("openssl")


@pytest.fixture(autouse=True)
def local_site(settings, httpserver):
    settings.INTAKE_ALLOW_LOOPBACK = True
    settings.INTAKE_READ_TIMEOUT = 1
    serve_site(httpserver)


def test_page_is_read_with_its_type_and_our_user_agent(settings, httpserver):
    settings.INTAKE_USER_AGENT = "NewsdeskBot/1.0 (tests)"
    httpserver.expect_request(
        "/story", headers={"User-Agent": "NewsdeskBot/1.0 (tests)"}
    ).respond_with_data(
        story_page(title="Leeds", paragraphs=STORY_EN_TEXT), content_type="text/html"
    )
    response = Fetcher().get(httpserver.url_for("/story"))
    assert response.status == 200
    assert response.content_type == "text/html"
    assert STORY_EN_TEXT[0].encode() in response.content


def test_server_error_is_an_http_error_with_its_status(httpserver):
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)
    with pytest.raises(HTTPError) as raised:
        Fetcher().get(httpserver.url_for("/broken"))
    assert raised.value.status == 500
    assert "HTTP 500" in str(raised.value)


def test_slow_server_times_out(settings, httpserver):
    settings.INTAKE_READ_TIMEOUT = 0.3

    def slow(request):
        # Past the time-out, but not so long that the next test's request waits.
        time.sleep(0.6)
        return Response("late", content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchTimeout, match="took longer"):
        Fetcher().get(httpserver.url_for("/slow"))


def test_redirect_is_followed_and_the_final_address_kept(httpserver):
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    serve(httpserver, "/new", "<p>moved here</p>")
    response = Fetcher().get(httpserver.url_for("/old"))
    assert response.url == httpserver.url_for("/new")
    assert b"moved here" in response.content


def test_redirect_loop_stops_after_the_limit(settings, httpserver):
    settings.INTAKE_MAX_REDIRECTS = 3
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        Fetcher().get(httpserver.url_for("/a"))
    # Robots once, then the first request and three redirects: no more.
    assert len(httpserver.log) == 1 + 4


def test_huge_page_is_dropped_past_the_cap_without_a_length_header(settings, httpserver):
    settings.INTAKE_MAX_BYTES = 100_000

    def endless(request):
        chunk = b"<p>" + b"x" * 10_000 + b"</p>"
        return Response((chunk for _ in range(1_000)), content_type="text/html")

    httpserver.expect_request("/huge").respond_with_handler(endless)
    with pytest.raises(TooLarge, match="100,000-byte limit"):
        Fetcher().get(httpserver.url_for("/huge"))


def test_huge_page_announced_by_its_length_is_refused(settings, httpserver):
    settings.INTAKE_MAX_BYTES = 1_000
    serve(httpserver, "/long", "<p>" + "y" * 5_000 + "</p>")
    with pytest.raises(TooLarge):
        Fetcher().get(httpserver.url_for("/long"))


@pytest.mark.parametrize("content_type", ["image/png", "application/pdf", "application/json"])
def test_content_other_than_pages_and_feeds_is_refused(httpserver, content_type):
    httpserver.expect_request("/file").respond_with_data(b"\x89PNG", content_type=content_type)
    with pytest.raises(UnsupportedContentType, match=content_type):
        Fetcher().get(httpserver.url_for("/file"))


def test_page_where_a_feed_is_expected_is_refused(httpserver):
    serve(httpserver, "/feed", "<p>not a feed</p>")
    with pytest.raises(UnsupportedContentType):
        Fetcher().get(httpserver.url_for("/feed"), content_types=FEED_TYPES)


def test_conditional_get_answered_304_is_not_modified(httpserver):
    httpserver.expect_request(
        "/feed.xml", headers={"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 03 Mar 2026"}
    ).respond_with_data("", status=304)
    response = Fetcher().get(
        httpserver.url_for("/feed.xml"), etag='"v1"', last_modified="Tue, 03 Mar 2026"
    )
    assert response.not_modified
    assert response.content == b""


def test_validators_of_a_full_answer_are_returned(httpserver):
    serve(
        httpserver,
        "/feed.xml",
        "<rss/>",
        content_type="application/rss+xml",
        headers={"ETag": '"v2"', "Last-Modified": "Wed, 04 Mar 2026 08:00:00 GMT"},
    )
    response = Fetcher().get(httpserver.url_for("/feed.xml"))
    assert (response.etag, response.last_modified) == ('"v2"', "Wed, 04 Mar 2026 08:00:00 GMT")


def test_robots_txt_disallow_is_respected_and_the_page_never_asked(httpserver):
    httpserver.clear()
    serve_site(httpserver, robots="User-agent: NewsdeskBot\nDisallow: /private/\n")
    serve(httpserver, "/private/story", "<p>secret</p>")
    serve(httpserver, "/public/story", "<p>open</p>")
    fetcher = Fetcher()
    with pytest.raises(RobotsDisallowed, match=r"robots\.txt"):
        fetcher.get(httpserver.url_for("/private/story"))
    assert fetcher.get(httpserver.url_for("/public/story")).status == 200
    paths = [request.path for request, _ in httpserver.log]
    # robots.txt once for the host, the disallowed page never.
    assert paths == ["/robots.txt", "/public/story"]


def test_robots_txt_server_error_means_nothing_is_read(httpserver):
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    serve(httpserver, "/story", "<p>story</p>")
    with pytest.raises(RobotsDisallowed):
        Fetcher().get(httpserver.url_for("/story"))


def test_missing_robots_txt_allows_everything(httpserver):
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("no", status=404)
    serve(httpserver, "/story", "<p>story</p>")
    assert Fetcher().get(httpserver.url_for("/story")).status == 200


@pytest.fixture
def https_server(tmp_path, monkeypatch):
    """A local HTTPS server whose certificate, for `localhost`, the fetcher is made to trust."""
    if OPENSSL is None:
        require_service("openssl, to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert),
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    trusting = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda: trusting(cafile=str(cert)))
    server = HTTPServer(host="localhost", ssl_context=server_context)
    server.start()
    serve_site(server)
    yield server
    server.clear()
    server.stop()


def test_https_page_is_read_with_the_certificate_checked_for_the_host(https_server):
    serve(https_server, "/story", "<p>over TLS</p>")
    url = https_server.url_for("/story")
    assert url.startswith("https://localhost:")
    assert b"over TLS" in Fetcher().get(url).content


def test_https_certificate_for_another_name_is_refused(https_server):
    serve(https_server, "/story", "<p>over TLS</p>")
    # The same server reached by its address: the certificate names localhost only.
    with pytest.raises(FetchError, match=r"TLS with 127\.0\.0\.1 failed"):
        Fetcher().get(f"https://127.0.0.1:{https_server.port}/story")
