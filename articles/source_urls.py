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


# Query parameters that say who shared a link or which campaign brought the reader, never
# which story it is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "smid",
        "sr_share",
        "guccounter",
        "amp",
        "outputtype",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__twitter")
# Host prefixes of the same site's mobile and AMP editions.
EDITION_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.")


def canonical_url(url: str) -> str:
    """Return the address that every variant of one story's URL shares, or "" if invalid.

    Tracking parameters, AMP and mobile editions (`/amp`, `?amp=1`, `amp.`, `m.`,
    `mobile.` hosts), fragments and default ports are removed, the host is lower-cased and
    http counts as https: two URLs of one story give the same string.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    for prefix in EDITION_HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host.removeprefix(prefix)
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and segments[0] == "amp":
        segments = segments[1:]
    if segments and segments[-1] == "amp":
        segments = segments[:-1]
    if segments:
        segments[-1] = segments[-1].replace(".amp.", ".").removesuffix(".amp")
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key.lower() not in TRACKING_PARAMETERS
            and not key.lower().startswith(TRACKING_PREFIXES)
        )
    )
    return urlunsplit(("https", netloc, "/" + "/".join(segments), query, ""))
