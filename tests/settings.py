"""Test settings: production settings with what a test client and live server need."""

from datetime import timedelta

from newsdesk.settings import *  # noqa: F403
from newsdesk.settings import STORAGES

# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic manifest exists in a test run.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Discovery loads a language model: only the tests about it turn it on.
NEWSDESK_DISCOVERY_ENABLED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Threads (the live server, an in-process worker) must not keep connections to the test
# database open, or it cannot be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tasks run in-process unless a test starts a real worker (tests/services.py).
CELERY_TASK_ALWAYS_EAGER = True
# Login throttling stays on in tests (tests/security/test_login_throttling.py), with fixed
# numbers whatever the environment says. force_login() does not authenticate, so it is never
# throttled; client.login() needs a request for django-axes: use force_login().
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
