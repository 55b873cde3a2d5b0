"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl in a temporary folder.

Run as root, the server runs as the unprivileged ``postgres`` user (PostgreSQL refuses to
run as root). It listens on 127.0.0.1 on a free port, trusts local connections, and is
stopped and removed when the test run ends.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """initdb and pg_ctl are not on this machine, or the server would not start."""


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    raise PostgresUnavailable(f"{name} not found (install Debian's postgresql package)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    """A running throwaway server."""

    folder: Path
    port: int
    run_as: list[str]

    def url(self, database: str = "postgres") -> str:
        """A DATABASE_URL for one database on this server."""
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str = "") -> str:
        """Create a database, empty or a copy of ``template`` (which nothing may be
        connected to), and return its URL."""
        import psycopg  # noqa: PLC0415

        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and remove its folder."""
        subprocess.run(
            [
                *self.run_as,
                _binary("pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> PostgresServer:
    """Start a throwaway server; raise PostgresUnavailable with the reason if it cannot."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="fairpivot-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    steps = [
        [
            *run_as,
            initdb,
            "-D",
            str(folder / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ],
        [
            *run_as,
            pg_ctl,
            "-D",
            str(folder / "data"),
            "-l",
            str(folder / "server.log"),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off",
            "start",
        ],
    ]
    for command in steps:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = (folder / "server.log").read_text() if (folder / "server.log").exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise PostgresUnavailable(
                f"{Path(command[len(run_as)]).name} failed: {result.stderr.strip()} {log}"
            )
    server = PostgresServer(folder, port, run_as)
    atexit.register(server.stop)
    return server
