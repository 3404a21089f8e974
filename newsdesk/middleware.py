"""Response headers Django does not set itself, and the client address for login throttling."""

from django.conf import settings
from django.urls import reverse


def header_value(directives: dict[str, list[str]], separator: str = "; ") -> str:
    """Join {"script-src": ["'self'"], ...} into "script-src 'self'; ..."."""
    return separator.join(" ".join([name, *values]).strip() for name, values in directives.items())


class SecurityHeadersMiddleware:
    """Add Content-Security-Policy and Permissions-Policy to every response.

    The public site and the admin each get their policy (NEWSDESK_CSP and NEWSDESK_ADMIN_CSP);
    a view that sets its own Content-Security-Policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.public_policy = header_value(settings.NEWSDESK_CSP)
        self.admin_policy = header_value(settings.NEWSDESK_ADMIN_CSP)
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.NEWSDESK_PERMISSIONS_POLICY.items()
        )
        self._admin_prefix = None

    @property
    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return self._admin_prefix

    def __call__(self, request):
        response = self.get_response(request)
        policy = (
            self.admin_policy if request.path.startswith(self.admin_prefix) else self.public_policy
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


def client_ip_address(request) -> str | None:
    """Return the client's address for django-axes (AXES_CLIENT_IP_CALLABLE).

    Behind the TLS proxy (BEHIND_HTTPS_PROXY), REMOTE_ADDR is the proxy's, the same for every
    client: the address it saw is the last one it appended to X-Forwarded-For. The earlier ones
    are whatever the client sent, so they are never trusted.
    """
    if settings.NEWSDESK_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
