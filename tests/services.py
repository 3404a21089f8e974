"""Access to the real services (PostgreSQL, Redis, a Celery worker) for integration tests."""

import contextlib
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection

from tests.conftest import require_service


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (DATABASE_URL does not point to it)")


def require_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        require_service("A Celery broker (CELERY_BROKER_URL is not set)")
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        require_service(f"The broker at {parts.hostname}:{parts.port}")
    return url


@contextlib.contextmanager
def real_worker(**worker_options):
    """Run a Celery worker in a thread, consuming from the real broker."""
    from celery.contrib.testing.worker import start_worker

    from newsdesk.celery import app

    require_postgresql()
    require_broker()
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, perform_ping_check=False, loglevel="WARNING", **worker_options):
            yield app
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


def wait_until(predicate, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
