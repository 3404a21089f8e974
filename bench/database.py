"""Survive the database restarting under the benchmark (other people's fault tests do that)."""

import time

from django.db import InterfaceError, OperationalError, connection

ATTEMPTS = 3
RECONNECT_SECONDS = 120


def with_retries(function, *args, **kwargs):
    """Call function; when the connection drops, wait for the database and call it again."""
    for _ in range(ATTEMPTS - 1):
        try:
            return function(*args, **kwargs)
        except (OperationalError, InterfaceError):
            _reconnect()
    return function(*args, **kwargs)


def _reconnect() -> None:
    deadline = time.monotonic() + RECONNECT_SECONDS
    while True:
        connection.close()
        try:
            connection.ensure_connection()
            return
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
