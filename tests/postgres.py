"""A throwaway PostgreSQL 15 cluster for the team library's tests, benchmarks and bundle test.

`Cluster.start()` runs initdb and pg_ctl (through `runuser -u postgres` when we
are root: PostgreSQL refuses to run as root) in a temporary folder owned by
the server's user, listening on a unix socket there and on 127.0.0.1 at a free
port; `stop()` shuts it down and `remove()` deletes it. About a second.

pg_hba: the superuser `postgres` is trusted on the socket; every other role
must give its password (scram-sha-256), which the wrong-password test needs.
The server runs with `ssl=off`, so `sslmode=require` is refused.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

BIN = Path(os.environ.get("DISTARCH_PG_BIN", "/usr/lib/postgresql/15/bin"))


class ClusterUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    return free_port()


class Cluster:
    def __init__(self) -> None:
        if not (BIN / "initdb").exists():
            raise ClusterUnavailable(f"PostgreSQL is not installed ({BIN / 'initdb'} is missing)")
        self.root = Path(tempfile.mkdtemp(prefix="distarch-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sock"
        self.port = free_port()
        self._as_root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
        self.running = False

    # --- running the server's tools ------------------------------------------------
    def _run(self, *command: str, timeout: float = 60) -> None:
        args = [str(BIN / command[0]), *command[1:]]
        if self._as_root:
            args = ["runuser", "-u", "postgres", "--", *args]
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise ClusterUnavailable(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> Cluster:
        self.sockets.mkdir()
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        (self.data / "pg_hba.conf").write_text(
            "local all postgres trust\n"
            "host all postgres 127.0.0.1/32 trust\n"
            "local all all scram-sha-256\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.sockets}'\nssl = off\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
                "shared_buffers = 32MB\npassword_encryption = 'scram-sha-256'\n"
            )
        self.resume()
        return self

    def resume(self) -> None:
        """Start the (initialised) server and wait until it accepts connections."""
        log = self.root / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", "30", "start")
        self.running = True

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            self.running = False

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- addresses -------------------------------------------------------------------
    def url(self, dbname: str = "postgres", user: str = "postgres", password: str = "") -> str:
        """An address over TCP on 127.0.0.1."""
        auth = f"{user}:{password}@" if password else f"{user}@"
        return f"postgresql://{auth}127.0.0.1:{self.port}/{dbname}"

    def socket_url(self, dbname: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@/{dbname}?host={self.sockets}&port={self.port}"

    def sql(self, statement: str, dbname: str = "postgres") -> list[tuple]:
        """Run one statement as the superuser (autocommit) and return its rows."""
        import psycopg

        with psycopg.connect(self.socket_url(dbname), autocommit=True) as conn:
            cur = conn.execute(statement)
            return cur.fetchall() if cur.description else []

    def new_database(self) -> str:
        name = f"lib_{uuid.uuid4().hex[:10]}"
        self.sql(f"CREATE DATABASE {name}")
        return name
