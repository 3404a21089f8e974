"""The one way intake reads the web: feeds, story pages and their robots.txt.

Built on the standard library's http.client so that every hop is under our control: the
host is resolved once, every address it resolves to is checked, and the connection is made
to the checked address (a second DNS answer cannot swap in an internal one). Redirects are
followed by hand, each one checked again; the body is read in chunks and dropped past the
size cap; nothing is decompressed (we ask for identity), so a small response cannot grow.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from django.conf import settings

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
PAGE_TYPES = HTML_TYPES | FEED_TYPES
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """A page or feed that could not be read; the message says why, for editors."""


class UnsafeAddress(FetchError):
    """Not http(s), or a host that resolves to an address we must not reach."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt asks us not to read this address."""


class TooManyRedirects(FetchError):
    pass


class TooLarge(FetchError):
    pass


class UnsupportedContentType(FetchError):
    pass


class FetchTimeout(FetchError):
    pass


class HTTPError(FetchError):
    def __init__(self, status: int, url: str):
        super().__init__(f"{url} answered HTTP {status}.")
        self.status = status


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Fetch pages and feeds safely; robots.txt is read once per host for this fetcher's life.

    Make one per run (a feed poll, an import, an editor's request).
    """

    def __init__(self):
        self._robots: dict[str, RobotFileParser] = {}

    def get(
        self,
        url: str,
        *,
        content_types=PAGE_TYPES,
        etag: str = "",
        last_modified: str = "",
    ) -> Response:
        """Return the response for `url`, following redirects; raise FetchError if refused."""
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        return self._get(url, content_types=content_types, headers=conditional, robots=True)

    def _get(self, url, *, content_types, headers, robots) -> Response:
        for _hop in range(settings.INTAKE_MAX_REDIRECTS + 1):
            if robots:
                self._check_robots(url)
            status, response_headers, content = _request(url, headers)
            location = response_headers.get("location")
            if status in REDIRECT_STATUSES and location:
                url = urljoin(url, location)
                continue
            if status == 304:
                return Response(url=url, status=304, content=b"", content_type="")
            if status >= 400:
                raise HTTPError(status, url)
            content_type = response_headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in content_types:
                raise UnsupportedContentType(
                    f"{url} is {content_type or 'of no stated type'}, not a web page or feed."
                )
            return Response(
                url=url,
                status=status,
                content=content,
                content_type=content_type,
                etag=response_headers.get("etag", ""),
                last_modified=response_headers.get("last-modified", ""),
            )
        raise TooManyRedirects(
            f"{url}: more than {settings.INTAKE_MAX_REDIRECTS} redirects (a redirect loop?)."
        )

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        if not self._robots[origin].can_fetch(settings.INTAKE_USER_AGENT, url):
            raise RobotsDisallowed(f"{origin}/robots.txt asks robots not to read {url}.")

    def _read_robots(self, origin: str) -> RobotFileParser:
        parser = RobotFileParser(f"{origin}/robots.txt")
        try:
            response = self._get(
                f"{origin}/robots.txt",
                content_types={"text/plain"},
                headers={},
                robots=False,
            )
        except HTTPError as error:
            # RFC 9309: a missing robots.txt (4xx) allows everything; a server error means
            # the site cannot say, so nothing is read.
            if error.status < 500:
                parser.allow_all = True
            else:
                parser.disallow_all = True
            return parser
        except (UnsupportedContentType, TooLarge):
            parser.allow_all = True
            return parser
        parser.parse(response.content.decode("utf-8", "replace").splitlines())
        return parser


def check_address(ip: str) -> None:
    """Refuse an address outside the public internet (loopback only when the setting says)."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback and settings.INTAKE_ALLOW_LOOPBACK:
        return
    if not address.is_global or address.is_multicast or address.is_reserved:
        raise UnsafeAddress(f"{ip} is a private, loopback or reserved address.")


def _resolve(host: str, port: int) -> list[tuple]:
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"{host} could not be found ({error.strerror}).") from error
    # Every address is checked, not only the one we use: a host that names an internal
    # address among public ones is refused whole.
    for *_, sockaddr in addresses:
        check_address(sockaddr[0])
    return addresses


def _connect(scheme: str, host: str, port: int) -> socket.socket:
    last_error = None
    for family, kind, proto, _, sockaddr in _resolve(host, port):
        sock = socket.socket(family, kind, proto)
        sock.settimeout(settings.INTAKE_CONNECT_TIMEOUT)
        try:
            sock.connect(sockaddr)
        except TimeoutError as error:
            sock.close()
            last_error = FetchTimeout(f"{host} did not answer within the connect time-out.")
            last_error.__cause__ = error
            continue
        except OSError as error:
            sock.close()
            last_error = FetchError(f"Could not connect to {host}: {error.strerror or error}.")
            continue
        if scheme == "https":
            try:
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            except (ssl.SSLError, ssl.CertificateError, OSError) as error:
                sock.close()
                raise FetchError(f"TLS with {host} failed: {error}.") from error
        return sock
    raise last_error


def _request(url: str, headers: dict) -> tuple[int, dict, bytes]:
    """Make one GET request, without following redirects: status, headers, capped body."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeAddress(f"{url!r} is not a valid web address.") from error
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise UnsafeAddress(f"{url}: only http:// and https:// addresses are read.")
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeAddress(f"{url}: no host, or a user name and password in the address.")
    port = port or (443 if scheme == "https" else 80)
    deadline = time.monotonic() + settings.INTAKE_READ_TIMEOUT
    sock = _connect(scheme, parts.hostname, port)
    # The class only for the Host header (no ":443" added); the socket, already connected
    # to the checked address and wrapped in TLS, is ours: http.client resolves nothing.
    connection_class = (
        http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, port)
    connection.sock = sock
    sock.settimeout(settings.INTAKE_READ_TIMEOUT)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request(
            "GET",
            path,
            headers={
                "User-Agent": settings.INTAKE_USER_AGENT,
                "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
                "application/atom+xml, application/xml;q=0.9, text/plain;q=0.5",
                **headers,
            },
        )
        response = connection.getresponse()
        response_headers = {name.lower(): value for name, value in response.getheaders()}
        limit = settings.INTAKE_MAX_BYTES
        if int(response_headers.get("content-length") or 0) > limit:
            raise TooLarge(f"{url} is larger than the {limit:,}-byte limit.")
        chunks, size = [], 0
        while chunk := response.read(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"{url} is larger than the {limit:,}-byte limit.")
            if time.monotonic() > deadline:
                raise FetchTimeout(f"{url} took longer than {settings.INTAKE_READ_TIMEOUT} s.")
            chunks.append(chunk)
        return response.status, response_headers, b"".join(chunks)
    except TimeoutError as error:
        raise FetchTimeout(f"{url} took longer than {settings.INTAKE_READ_TIMEOUT} s.") from error
    except (http.client.HTTPException, OSError) as error:
        raise FetchError(f"{url} could not be read: {error}.") from error
    finally:
        connection.close()
