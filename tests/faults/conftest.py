"""Fault injection: real Celery workers and beat, and private PostgreSQL and Redis servers.

The tests break only what they started. The package starts its own PostgreSQL once (initdb and
pg_ctl on a free port, tests/faults/servers.py) and migrates it with `manage.py migrate`, as a
deployment would; each test starts its own redis-server. Then:

- Celery workers and beat are subprocesses with the production settings, their DATABASE_URL,
  CELERY_BROKER_URL and CACHE_URL pointing at the private servers.
- This process uses them too, so that what a test saves and checks, and the admin and public
  pages it asks for, go through the same servers as the workers: `django_db_setup` is
  overridden for the package to point Django's default database at the private PostgreSQL
  (restored afterwards), so the ORM, the factories and the services under test run unchanged,
  and pytest-django's transactional tests flush that database after each test; the `faults`
  fixture points the caches (the production CACHES for that URL, time-outs included) and the
  Celery app (broker and transport options) at the private Redis, tasks no longer eager.

A test kills, restarts or SIGSTOPs those servers, and SIGKILLs workers. Whatever happens, the
`faults` fixture stops every process and server the test started, and the package's
PostgreSQL is stopped and deleted after the last test. The machine's own PostgreSQL and Redis
are never touched (the first is still where pytest-django makes its test database for the
other tests).
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from unittest import mock

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from newsdesk.settings import caches_at
from tests.conftest import require_service
from tests.faults.servers import PrivatePostgreSQL, PrivateRedis, postgresql_bindir
from tests.services import wait_until

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "newsdesk"
TASK_LINE = r"Task articles\.tasks\.tag_article\[(?P<id>[0-9a-f-]+)\]"
SUCCEEDED = re.compile(TASK_LINE + r" succeeded in [0-9.e-]+s: (?P<result>True|False)")
RETRIED = re.compile(TASK_LINE + r" retry: ")


def require_private_servers() -> Path:
    """Return PostgreSQL's bin folder, once sure the private servers can be run."""
    if connection.vendor != "postgresql":
        require_service(
            "A PostgreSQL DATABASE_URL (this process reaches the fault tests' own server "
            "through Django's PostgreSQL backend)"
        )
    bindir = postgresql_bindir()
    if bindir is None or not (bindir / "pg_ctl").exists():
        require_service("PostgreSQL's initdb and pg_ctl (to run a private server)")
    if shutil.which("redis-server") is None:
        require_service("redis-server (to run a private Redis)")
    return bindir


def celery_command() -> list[str]:
    script = Path(sys.executable).with_name("celery")
    return [str(script)] if script.exists() else [sys.executable, "-m", "celery"]


@pytest.fixture(scope="package")
def private_postgresql():
    """A PostgreSQL server of the fault tests' own, with the database migrated."""
    bindir = require_private_servers()
    server = PrivatePostgreSQL(bindir)
    try:
        server.initdb()
        server.start()
        server.create_database(DATABASE)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
                "DATABASE_URL": server.url(DATABASE),
                "CACHE_URL": "",
                "CELERY_BROKER_URL": "",
            },
            check=True,
            timeout=300,
        )
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="package")
def django_db_setup(private_postgresql):
    """Point Django's default database at the private PostgreSQL while the fault tests run."""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    connection.close()
    settings_dict.update(
        HOST="127.0.0.1",
        PORT=str(private_postgresql.port),
        NAME=DATABASE,
        USER="postgres",
        PASSWORD="",
    )
    try:
        yield
    finally:
        connection.close()
        settings_dict.clear()
        settings_dict.update(saved)


def use_broker(app, url: str, transport_options: dict) -> None:
    """Send this process's tasks to the broker at `url`, on new connections."""
    app.conf.update(broker_url=url, broker_transport_options=transport_options)
    # Celery keeps its connection and producer pools for the app's life: close and drop them.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def this_process_on(redis: PrivateRedis):
    """Use the private Redis as this process's caches and broker, as production would."""
    from newsdesk.celery import app

    saved = {key: app.conf[key] for key in ["broker_url", "broker_transport_options"]}
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    with mock.patch.dict(os.environ, {"CELERY_BROKER_URL": redis.url(0)}):
        # What newsdesk.settings gives a Redis broker.
        options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, **settings.REDIS_TIMEOUTS}
        use_broker(app, redis.url(0), options)
        app.conf.task_always_eager = False
        try:
            with override_settings(CACHES=caches_at(redis.url(1))):
                yield app
        finally:
            app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
            use_broker(app, saved["broker_url"], saved["broker_transport_options"])


class Processes:
    """Celery workers and beat run as subprocesses, each in its own process group."""

    def __init__(self, directory: Path, *, database_url: str, redis: PrivateRedis):
        self.directory = directory
        self.database_url = database_url
        self.redis = redis
        self.started: list[Process] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            **os.environ,
            # Production settings, not tests.settings (which forces eager tasks).
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.redis.url(0),
            "CACHE_URL": self.redis.url(1),
            "NEWSDESK_DISCOVERY_ENABLED": "0",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
        for name in ["REQUIRE_SERVICES", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL"]:
            env.pop(name, None)
        return env

    def worker(self, name: str, wait_ready: bool = True, **env: str) -> "Process":
        process = self._start(
            name,
            [
                "-A",
                "newsdesk",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                # INFO, not WARNING: the tests read "ready", "succeeded" and "retry" lines.
                "--loglevel",
                "INFO",
                "-Q",
                "celery",
                "-n",
                f"{name}@faults",
                "--without-gossip",
                "--without-mingle",
            ],
            env,
        )
        if wait_ready:
            process.wait_ready()
        return process

    def beat(self, **env: str) -> "Process":
        schedule = self.directory / "celerybeat-schedule"
        return self._start(
            "beat", ["-A", "newsdesk", "beat", "--loglevel", "INFO", "-s", str(schedule)], env
        )

    def _start(self, name: str, args: list[str], env: dict[str, str]) -> "Process":
        process = Process(name, [*celery_command(), *args], self.env(**env), self.directory)
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        with contextlib.ExitStack() as stops:
            for process in self.started:
                stops.callback(process.stop)


class Process:
    def __init__(self, name: str, command: list[str], env: dict[str, str], directory: Path):
        self.name = name
        self.log_path = directory / f"{name}-{len(list(directory.glob(name + '*.log')))}.log"
        self._log = self.log_path.open("w")
        self.popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool children die with it
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        ready = wait_until(
            lambda: " ready." in self.log() or self.popen.poll() is not None, timeout, 0.1
        )
        assert ready, f"{self.name} did not start:\n{self.log()[-3000:]}"
        assert self.popen.poll() is None, f"{self.name} exited:\n{self.log()[-3000:]}"

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and its pool children."""
        self.signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)
        # The group's other members (pool children) must be gone too.
        assert wait_until(lambda: not self._group_alive(), timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=15)
        self.signal_group(signal.SIGKILL)
        if self.popen.poll() is None:
            self.popen.wait(timeout=10)
        wait_until(lambda: not self._group_alive(), timeout=10)
        self._log.close()

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.popen.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def results(self) -> list[tuple[str, bool]]:
        """The (task id, returned value) of each tag_article this process finished."""
        return [
            (match["id"], match["result"] == "True") for match in SUCCEEDED.finditer(self.log())
        ]

    def retries(self) -> int:
        return len(RETRIED.findall(self.log()))


@pytest.fixture
def faults(private_postgresql, django_db_setup, tmp_path):
    """Private servers to break, processes to run; everything is stopped afterwards."""
    with contextlib.ExitStack() as cleanup:
        # Undone last: pytest-django flushes the database after the test, so it must be up.
        cleanup.callback(private_postgresql.ensure_running)
        redis = PrivateRedis(tmp_path)
        cleanup.callback(redis.stop)
        redis.start()
        processes = Processes(tmp_path, database_url=private_postgresql.url(DATABASE), redis=redis)
        cleanup.callback(processes.stop_all)
        app = cleanup.enter_context(this_process_on(redis))
        yield Faults(app=app, redis=redis, postgresql=private_postgresql, processes=processes)


class Faults:
    def __init__(self, *, app, redis, postgresql, processes):
        self.app = app
        self.redis = redis
        self.postgresql = postgresql
        self.processes = processes
