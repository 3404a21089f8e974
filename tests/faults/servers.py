"""Private PostgreSQL and Redis servers for the fault tests to break.

Each runs on a free port of 127.0.0.1, from a folder of its own, and keeps nothing worth
keeping: PostgreSQL without fsync, Redis without snapshots or append-only file. The tests
kill, restart and SIGSTOP these, never the machine's own servers.

PostgreSQL refuses to run as root: when the tests run as root, initdb, pg_ctl and the server
run as the `postgres` system user (`nobody` if there is none), in a folder made for it with
tempfile, since pytest's own tmp folders are private to root.
"""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import redis

from tests.services import wait_until


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def postgresql_bindir() -> Path | None:
    """The folder of initdb and pg_ctl: on the PATH, else Debian's newest PostgreSQL."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    return versions[-1].parent if versions else None


class PrivatePostgreSQL:
    """A throwaway PostgreSQL cluster (initdb, pg_ctl) with trust authentication."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = free_port()
        self.account = self._account()
        self.directory = Path(tempfile.mkdtemp(prefix="newsdesk-faults-postgresql-"))
        if self.account is not None:
            os.chown(self.directory, self.account.pw_uid, self.account.pw_gid)
        self.data = self.directory / "data"
        self.log_path = self.directory / "server.log"

    @staticmethod
    def _account() -> pwd.struct_passwd | None:
        """The user to run PostgreSQL as: None (ourselves) unless we are root."""
        if os.geteuid() != 0:
            return None
        for name in ["postgres", "nobody"]:
            with contextlib.suppress(KeyError):
                return pwd.getpwnam(name)
        raise RuntimeError("No user to run PostgreSQL as (it refuses to run as root)")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        as_account = {}
        if self.account is not None:
            as_account = {
                "user": self.account.pw_uid,
                "group": self.account.pw_gid,
                "extra_groups": [],
            }
        result = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.directory,
            env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **as_account,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n"
                f"{result.stderr}\n{self.log()[-3000:]}"
            )

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def initdb(self) -> None:
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\n"
                "listen_addresses = '127.0.0.1'\n"
                # TCP only: no socket file in a shared folder.
                "unix_socket_directories = ''\n"
                # Nothing here outlives the test session: durability only costs time.
                "fsync = off\n"
                "synchronous_commit = off\n"
                "full_page_writes = off\n"
            )

    def start(self) -> None:
        self._run(
            "pg_ctl", "--pgdata", str(self.data), "--log", str(self.log_path), "--wait", "start"
        )

    def restart(self) -> None:
        """A fast restart, as an operator would do: open connections are cut."""
        self._run(
            "pg_ctl",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log_path),
            "--mode",
            "fast",
            "--wait",
            "restart",
        )

    def accepts_queries(self) -> bool:
        try:
            psycopg.connect(self.url(), connect_timeout=2).close()
        except psycopg.Error:
            return False
        return True

    def ensure_running(self) -> None:
        if not self.accepts_queries():
            with contextlib.suppress(RuntimeError):
                self.start()
        assert wait_until(self.accepts_queries, timeout=30), (
            f"the private PostgreSQL is not accepting queries:\n{self.log()[-3000:]}"
        )

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def _postmaster_pid(self) -> int | None:
        """The server's process id, if it is still running from our data folder."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return None
        return pid if os.fsencode(self.data) in command else None

    def destroy(self) -> None:
        """Stop the server whatever its state and delete its folder."""
        try:
            try:
                self._run(
                    "pg_ctl",
                    "--pgdata",
                    str(self.data),
                    "--mode",
                    "immediate",
                    "--wait",
                    "stop",
                    timeout=30,
                )
            except (RuntimeError, subprocess.TimeoutExpired):
                pid = self._postmaster_pid()
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)


class PrivateRedis:
    """A redis-server child process that keeps nothing on disk."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.log_path = directory / "redis.log"
        self.popen: subprocess.Popen | None = None
        self.paused = False

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5, socket_connect_timeout=2)

    def answers(self) -> bool:
        return answers(self.port)

    def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable is not None, "redis-server is not installed"
        with self.log_path.open("a") as log:
            self.popen = subprocess.Popen(
                [
                    executable,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.directory),
                ],
                cwd=self.directory,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        assert wait_until(self.answers, timeout=10), f"redis-server did not start:\n{self.log()}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def pause(self) -> None:
        """SIGSTOP: connections are still accepted (by the kernel), nothing is answered."""
        self._signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        self._signal(signal.SIGCONT)
        self.paused = False

    def kill(self) -> None:
        """SIGKILL, as a crash would: what it held is gone."""
        self._signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=10)
        self.paused = False
        assert wait_until(lambda: not self.answers(), timeout=10), "redis-server is still up"

    def ensure_running(self) -> None:
        if self.paused:
            self.resume()
        if self.popen is None or self.popen.poll() is not None:
            self.start()

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        self.resume()
        self.popen.terminate()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)

    def _signal(self, signum: int) -> None:
        assert self.popen is not None, "redis-server was not started"
        with contextlib.suppress(ProcessLookupError):
            self.popen.send_signal(signum)
