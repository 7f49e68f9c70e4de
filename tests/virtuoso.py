"""A private Virtuoso for the remote-graph tests: a session fixture, loopback only.

Import the fixture into a test module with ``from .virtuoso import virtuoso_server``
and ask for ``virtuoso`` in a test. It starts Debian's ``virtuoso-t`` as a
child process on a fresh database in a temporary directory, with free ports on
127.0.0.1 for its SQL and HTTP servers, waits until ``/sparql`` answers, and
stops it at the end of the session. Without ``virtuoso-t`` the tests are
skipped, or fail under ``GENAI_GRAPH_REQUIRE_TOOLS=1`` (as in CI, where
``.ci/run`` installs it).

The database's administrator is ``dba``/``dba``: acceptable only because
nothing but this machine can reach it. Updates go through ``/sparql-auth``
with HTTP Digest authentication, as a production Virtuoso would require.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import require

__all__ = ["Virtuoso", "virtuoso_server"]

_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
; CaseMode 2 is required: without it ASK answers come back shaped like SELECT results
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 256M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 60
"""

_READY_SECONDS = 60.0


@dataclass(frozen=True)
class Virtuoso:
    """A running private Virtuoso."""

    base: str
    """``http://127.0.0.1:PORT``."""
    directory: Path
    """Its database directory (virtuoso.log is there)."""
    user: str = "dba"
    password: str = "dba"

    @property
    def sparql(self) -> str:
        """The anonymous, read-only query endpoint."""
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        """The endpoint that takes updates, with HTTP Digest authentication."""
        return f"{self.base}/sparql-auth"

    @property
    def auth(self) -> tuple[str, str]:
        """The administrator's credentials for :attr:`sparql_auth`."""
        return (self.user, self.password)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}?query=ASK%7B%7D", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(directory: Path) -> str:
    lines: list[str] = []
    for name in ("stdout.log", "virtuoso.log"):
        path = directory / name
        if path.exists():
            lines += path.read_text(errors="replace").splitlines()[-15:]
    return "\n".join(lines)


@pytest.fixture(scope="session", name="virtuoso")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Start a private Virtuoso on loopback ports for this test session; stop it afterwards."""
    binary = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
    require("Virtuoso (Debian package virtuoso-opensource)", binary)
    directory = tmp_path_factory.mktemp("virtuoso")
    root = directory / "vsp"
    root.mkdir()
    http_port, sql_port = _free_port(), _free_port()
    while sql_port == http_port:
        sql_port = _free_port()
    (directory / "virtuoso.ini").write_text(
        _INI.format(sql_port=sql_port, http_port=http_port, root=root)
    )
    base = f"http://127.0.0.1:{http_port}"
    with (directory / "stdout.log").open("wb") as log:
        process = subprocess.Popen(
            [binary, "+configfile", "virtuoso.ini", "+foreground"],
            cwd=directory,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "LANG": "C"},
        )
    try:
        deadline = time.monotonic() + _READY_SECONDS
        while not _answers(f"{base}/sparql"):
            if process.poll() is not None:
                pytest.fail(
                    f"virtuoso-t exited with status {process.returncode} before answering:\n"
                    + _log_tail(directory)
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"virtuoso-t did not answer on {base}/sparql within {_READY_SECONDS:g} s:\n"
                    + _log_tail(directory)
                )
            time.sleep(0.2)
        yield Virtuoso(base=base, directory=directory)
    finally:
        process.terminate()  # Virtuoso checkpoints and exits on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
