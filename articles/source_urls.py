"""Source URLs, normalised so that one story has one URL whatever the tracking noise."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})


class InvalidSourceURL(ValueError):
    pass


def normalize_source_url(url: str) -> str:
    """Return the canonical form of a story URL, or raise InvalidSourceURL.

    Lower-case scheme and host, no fragment, no utm_* parameters, no trailing slash.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidSourceURL(f"This is not a valid web address: {error}.") from error
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise InvalidSourceURL("The source URL must start with http:// or https://.")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or ("." not in host and host != "localhost"):
        raise InvalidSourceURL("The source URL has no valid host name.")
    netloc = host if port is None else f"{host}:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.startswith("utm_")
        ]
    )
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, query, ""))
