"""Fault injection: real Celery workers and beat as subprocesses, and the services they use.

The tests here stop Redis, restart PostgreSQL and SIGKILL workers. Whatever happens, the
`faults` fixture stops every process a test started and leaves PostgreSQL and Redis running.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.db import DatabaseError, InterfaceError, connection

from tests.conftest import require_service
from tests.services import require_broker, require_postgresql

ROOT = Path(__file__).resolve().parents[2]
# Every key the Redis transport keeps for the queues the tests use (kombu's priority queues are
# "<queue>\x06\x16<priority>"), and the hash of messages delivered but not acknowledged.
QUEUE_KEYS = [
    f"{queue}{suffix}"
    for queue in ["celery", "discovery"]
    for suffix in ["", "\x06\x163", "\x06\x166", "\x06\x169"]
]
UNACKED_KEYS = ["unacked", "unacked_index", "unacked_mutex"]
TASK_LINE = r"Task articles\.tasks\.tag_article\[(?P<id>[0-9a-f-]+)\]"
SUCCEEDED = re.compile(TASK_LINE + r" succeeded in [0-9.e-]+s: (?P<result>True|False)")
RETRIED = re.compile(TASK_LINE + r" retry: ")


def tool(name: str) -> str:
    """The full path of a command the `faults` fixture checked is installed."""
    path = shutil.which(name)
    assert path is not None, f"{name} is not installed"
    return path


def celery_command() -> list[str]:
    script = Path(sys.executable).with_name("celery")
    return [str(script)] if script.exists() else [sys.executable, "-m", "celery"]


def answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


def wait_for(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


class Redis:
    """The broker's Redis server, which the tests stop and start."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.url = url
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 6379

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=2)

    def answers(self) -> bool:
        return answers(self.host, self.port)

    def stop(self) -> None:
        subprocess.run(
            [tool("redis-cli"), "-h", self.host, "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
            timeout=10,
            check=False,
        )
        assert wait_for(lambda: not self.answers(), timeout=10), "Redis did not stop"

    def start(self) -> None:
        if self.answers():
            return
        subprocess.run(
            [
                tool("redis-server"),
                "--daemonize",
                "yes",
                "--bind",
                self.host,
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
            capture_output=True,
            timeout=10,
        )
        assert wait_for(self.answers, timeout=10), "Redis did not start"

    def purge(self) -> None:
        """Drop every queued, reserved or unacknowledged message of the queues we use."""
        self.client().delete(*QUEUE_KEYS, *UNACKED_KEYS)


class PostgreSQL:
    """The local PostgreSQL cluster, which the tests restart."""

    def __init__(self):
        self.host = connection.settings_dict["HOST"] or "127.0.0.1"
        self.port = int(connection.settings_dict["PORT"] or 5432)
        self.version = sorted(os.listdir("/etc/postgresql"))[-1]

    def _ctl(self, action: str) -> None:
        subprocess.run(
            [tool("pg_ctlcluster"), "--skip-systemctl-redirect", self.version, "main", action],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def accepts_queries(self) -> bool:
        try:
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except (DatabaseError, InterfaceError):
            connection.close()
            return False
        return True

    def restart(self) -> None:
        self._ctl("restart")

    def ensure_running(self) -> None:
        if not answers(self.host, self.port):
            self._ctl("start")
        assert wait_for(self.accepts_queries, timeout=30), "PostgreSQL is not accepting queries"


class Processes:
    """Celery workers and beat run as subprocesses, each in its own process group."""

    def __init__(self, directory: Path, redis: Redis):
        self.directory = directory
        self.redis = redis
        self.started: list[Process] = []

    def env(self, **extra: str) -> dict[str, str]:
        db = connection.settings_dict
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        env = {
            **os.environ,
            # Production settings, not tests.settings (which forces eager tasks).
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
            # The test database, which this test's data is in.
            "DATABASE_URL": (
                f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                f"/{quote(db['NAME'], safe='')}"
            ),
            "CELERY_BROKER_URL": self.redis.url,
            "NEWSDESK_DISCOVERY_ENABLED": "0",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
        env.pop("REQUIRE_SERVICES", None)
        if not os.environ.get("CACHE_URL"):
            env.pop("CACHE_URL", None)
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
        for process in self.started:
            process.stop()


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
        ready = wait_for(
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
        assert wait_for(lambda: not self._group_alive(), timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=15)
        self.signal_group(signal.SIGKILL)
        if self.popen.poll() is None:
            self.popen.wait(timeout=10)
        wait_for(lambda: not self._group_alive(), timeout=10)
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
def faults(tmp_path):
    """Real services to break, processes to run; everything is running again afterwards."""
    require_postgresql()
    broker_url = require_broker()
    redis = Redis(broker_url)
    if redis.host not in {"127.0.0.1", "localhost", "::1"}:
        require_service(f"A local Redis to stop and start (the broker is at {redis.host})")
    for tool in ["redis-cli", "redis-server", "pg_ctlcluster"]:
        if shutil.which(tool) is None:
            require_service(f"{tool} (to stop and start the services)")
    if not os.path.isdir("/etc/postgresql"):
        require_service("A local PostgreSQL cluster (/etc/postgresql) to restart")

    from newsdesk.celery import app

    postgresql = PostgreSQL()
    processes = Processes(tmp_path, redis)
    app.conf.task_always_eager = False
    redis.purge()
    try:
        yield Faults(app=app, redis=redis, postgresql=postgresql, processes=processes)
    finally:
        try:
            processes.stop_all()
        finally:
            app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
            redis.start()
            postgresql.ensure_running()
            redis.purge()


class Faults:
    def __init__(self, *, app, redis, postgresql, processes):
        self.app = app
        self.redis = redis
        self.postgresql = postgresql
        self.processes = processes
