"""Security headers on a public page, a feed and an admin page, in test and production settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.security.site_data import build_public_site

ROOT = Path(__file__).resolve().parents[2]
PERMISSIONS_POLICY_FEATURES = ["camera", "microphone", "geolocation", "interest-cohort", "usb"]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def site(db):
    return build_public_site()


@pytest.fixture
def pages(site, chief_editor):
    story = site["story"]
    return {
        "home": "/",
        "story": story.get_absolute_url(),
        "company timeline": site["kb"]["nvidia"].get_absolute_url(),
        "partnerships": "/partnerships/",
        "not found": "/no-such-page/",
        "rss feed": "/feeds/rss/",
        "atom feed": "/companies/nvidia/atom/",
        "admin login": "/admin/login/",
        "admin changelist": "/admin/articles/article/",
        "admin change form": f"/admin/articles/article/{story.pk}/change/",
    }


PAGE_NAMES = [
    "home",
    "story",
    "company timeline",
    "partnerships",
    "not found",
    "rss feed",
    "atom feed",
    "admin login",
    "admin changelist",
    "admin change form",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_response_carries_the_security_headers(client, pages, chief_editor, name):
    if name.startswith("admin") and name != "admin login":
        client.force_login(chief_editor)
    response = client.get(pages[name])
    assert response.status_code == (404 if name == "not found" else 200)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in PERMISSIONS_POLICY_FEATURES:
        assert permissions[feature] == "()"
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    if name.startswith("admin"):
        # One inline style of django-simple-history, allowed by its hash alone.
        assert csp["style-src"][:2] == ["'self'", "'unsafe-hashes'"]
        assert all(value.startswith("'sha256-") for value in csp["style-src"][2:])
    else:
        assert csp["style-src"] == ["'self'"]


def test_public_pages_use_no_inline_script_or_style(client, pages):
    for name in ["home", "story", "company timeline", "partnerships", "not found"]:
        content = client.get(pages[name]).content.decode()
        scripts = content.count("<script")
        assert scripts == content.count('<script type="application/ld+json">'), name
        assert " style=" not in content, name
        assert " on" + "click=" not in content, name


def test_the_story_json_ld_is_valid_json_that_cannot_close_its_element(client, site):
    story = site["story"]
    story.title = "</script><script>alert(1)</script> & <b>"
    story.save()
    content = client.get(story.get_absolute_url()).content.decode()
    start = content.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    payload = content[start : content.index("</script>", start)]
    data = json.loads(payload)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.title
    assert "<" not in payload
    assert content.count("</script>") == 1


def test_a_cached_public_keeps_the_headers(client, site):
    first = client.get("/feeds/rss/")
    second = client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_view_may_set_its_own_policy(rf):
    from django.http import HttpResponse

    from newsdesk.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Permissions-Policy"]


def test_test_settings_keep_throttling_and_headers_on():
    assert settings.AXES_ENABLED
    assert "newsdesk.middleware.SecurityHeadersMiddleware" in settings.MIDDLEWARE
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


# What production settings (DEBUG=0) answer, in a fresh process with newsdesk.settings. The
# pages asked for need no database; only the manifest static storage is swapped, as no
# collectstatic has run.
PRODUCTION_PROBE = """
import json
import django
from django.test.utils import override_settings, setup_test_environment

django.setup()
setup_test_environment()
from django.conf import settings
from django.test import Client

storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
result = {"settings": {name: getattr(settings, name) for name in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "AXES_ENABLED"]}}
with override_settings(STORAGES=storages):
    client = Client(HTTP_HOST="news.example")
    plain = client.get("/robots.txt")
    result["http"] = {"status": plain.status_code, "location": plain.get("Location")}
    for name, path in [("public", "/robots.txt"), ("not_found", "/nope/"),
                       ("admin", "/admin/login/")]:
        response = client.get(path, secure=True)
        result[name] = {"status": response.status_code, "headers": dict(response.headers),
                        "cookies": {key: {"secure": bool(morsel["secure"]),
                                          "samesite": morsel["samesite"]}
                                    for key, morsel in response.cookies.items()}}
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def production():
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
            "DEBUG": "0",
            "SECRET_KEY": "k7#Qz!v2@Lm9$Rt4^Wp8&Yx1*Nb6(Hc3)Jd5-Fg0_Sa7+Ue2=Io9",
            "ALLOWED_HOSTS": "news.example",
            "DATABASE_URL": "sqlite://:memory:",
            "CACHE_URL": "locmemcache://production-probe",
            "CELERY_BROKER_URL": "",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_insist_on_https(production):
    assert production["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "AXES_ENABLED": True,
    }
    assert production["http"] == {"status": 301, "location": "https://news.example/robots.txt"}


@pytest.mark.parametrize("name", ["public", "not_found", "admin"])
def test_production_responses_carry_every_header(production, name):
    page = production[name]
    headers = page["headers"]
    assert page["status"] == (404 if name == "not_found" else 200)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    for cookie in page["cookies"].values():
        assert cookie["secure"]
    if name == "admin":
        assert page["cookies"]["csrftoken"]["secure"]
