"""Load test of the SPARQL endpoint: many concurrent clients, well-formed and malformed requests.

Run ``python benchmarks/load.py`` (a few seconds; ``--clients`` and
``--requests`` change the size). It starts two in-process
:class:`~genai_graph.endpoint.SparqlServer` on free loopback ports over one
bundled graph, and never touches the network beyond loopback:

- the *main* server (entailment ``el``, default limits) gets ``clients``
  threads x ``requests`` requests each, a seeded mix of well-formed SELECT,
  ASK and CONSTRUCT requests (GET, form POST, ``application/sparql-query``
  POST; JSON, XML, CSV, Turtle, N-Triples) over keep-alive connections, each
  answer compared with ``kg.query``, and malformed raw-socket requests:
  garbage request lines, invalid UTF-8, bad percent-escapes, truncated bodies,
  bad Content-Length, chunked bodies, huge header lines, too many headers, a
  huge request line, slowloris-style partial requests closed early, and
  SPARQL syntax errors;
- a *timeout* server (``timeout=0.5``) gets a few deliberately endless queries
  at the same time, which must be stopped with 503 while the main server
  goes on answering.

Every well-formed request must get 200 and the right answer, every malformed
one its 4xx (505 for an unknown HTTP version, as RFC 9110 says) or a closed
connection, and nothing another 5xx; the deliberate timeouts get 503; afterwards both servers still answer and their handler threads are
gone. It prints throughput, p50/p99 latency and error counts and writes
``benchmarks/results/load.json`` and ``load.txt``; the exit status is 1 if
anything was wrong. ``tests/test_concurrency.py`` runs the same generator
(asserting correctness only, never speed).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import platform
import random
import socket
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

import genai_graph
from genai_graph.endpoint import PATH, SparqlServer
from genai_graph.sparql import SelectResult

RESULTS = Path(__file__).resolve().parent / "results"
ENTAILMENT = "el"
SOCKET_TIMEOUT = 60.0  # a hang guard for every client socket, never a speed target
# A cartesian product over the whole ontology: far too many rows to count in time.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

QUERIES = {
    "select": "SELECT ?x ?label WHERE { ?x rdfs:subClassOf genai:GenerativeAI . OPTIONAL { ?x rdfs:label ?label } }",
    "select-models": "SELECT ?m ?a WHERE { ?m a genai:LargeLanguageModel ; genai:usesArchitecture ?a }",
    "ask-true": "ASK { genai:GPT4 a genai:GenerativeAI }",
    "ask-false": "ASK { genai:GenerativeAI rdfs:subClassOf genai:LargeLanguageModel }",
    "construct": "CONSTRUCT { ?x rdfs:subClassOf ?y } WHERE { ?x rdfs:subClassOf genai:GenerativeAI, ?y FILTER(isIRI(?y)) }",
}

# (name, query, method, how the query is sent, Accept)
WELL_FORMED: list[tuple[str, str, str, str, str]] = [
    ("select json GET", "select", "GET", "url", "application/sparql-results+json"),
    ("select csv form POST", "select-models", "POST", "form", "text/csv"),
    ("select json direct POST", "select-models", "POST", "direct", "application/json"),
    ("ask json GET", "ask-true", "GET", "url", "application/sparql-results+json"),
    ("ask xml GET", "ask-false", "GET", "url", "application/sparql-results+xml"),
    ("construct turtle direct POST", "construct", "POST", "direct", "text/turtle"),
    ("construct n-triples GET", "construct", "GET", "url", "application/n-triples"),
]


def _raw(path: str, *headers: str, method: str = "GET", body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


_Q = urllib.parse.quote(QUERIES["ask-true"])

# (name, bytes to send, close our side right after sending without reading, statuses allowed).
# All are 4xx but one: an unknown major HTTP version gets 505, as RFC 9110 says.
# A closed connection (no status line) is always acceptable; for the rows that close
# early it is the only outcome.
MALFORMED: list[tuple[str, bytes, bool, frozenset[int]]] = [
    ("garbage request line", b"\x00\xff\xfeGARBAGE\r\n\r\n", False, frozenset({400})),
    ("not HTTP at all", b"hello there\r\n\r\n", False, frozenset({400})),
    ("bad HTTP version", b"GET /sparql HTTP/9.9\r\n\r\n", False, frozenset({400, 505})),
    ("invalid UTF-8 in the URL", _raw(f"{PATH}?query=%FF%FE%FD"), False, frozenset({400})),
    ("bad percent-escape", _raw(f"{PATH}?query=ASK%ZZ%7B%7D"), False, frozenset({400})),
    (
        "invalid UTF-8 body",
        _raw(
            PATH,
            "Content-Type: application/sparql-query",
            "Content-Length: 4",
            method="POST",
            body=b"\xff\xfe\x80\x81",
        ),
        False,
        frozenset({400}),
    ),
    (
        "truncated body",
        _raw(
            PATH,
            "Content-Type: application/x-www-form-urlencoded",
            "Content-Length: 500",
            method="POST",
            body=b"query=ASK%20%7B",
        ),
        False,
        frozenset({400, 408}),
    ),
    (
        "bad Content-Length",
        _raw(PATH, "Content-Type: application/sparql-query", "Content-Length: ten", method="POST"),
        False,
        frozenset({400}),
    ),
    (
        "chunked body",
        _raw(
            PATH,
            "Content-Type: application/sparql-query",
            "Transfer-Encoding: chunked",
            method="POST",
            body=b"5\r\nASK {\r\n0\r\n\r\n",
        ),
        False,
        frozenset({411}),
    ),
    (
        "huge header line",
        _raw(f"{PATH}?query={_Q}", "X-Big: " + "a" * 70_000),
        False,
        frozenset({431}),
    ),
    (
        "too many headers",
        _raw(f"{PATH}?query={_Q}", *(f"X-H{i}: {i}" for i in range(150))),
        False,
        frozenset({431}),
    ),
    ("huge request line", _raw(f"{PATH}?query={'A' * 70_000}"), False, frozenset({414})),
    (
        "SPARQL syntax error",
        _raw(f"{PATH}?query=SELEKT%20*%20WHERE%20%7B"),
        False,
        frozenset({400}),
    ),
    ("update through query", _raw(f"{PATH}?query=DROP%20ALL"), False, frozenset({400, 403})),
    (
        "slowloris, closed early",
        f"GET {PATH}?query={_Q} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".encode(),
        True,
        frozenset(),
    ),
    (
        "slowloris body, closed early",
        _raw(
            PATH,
            "Content-Type: application/sparql-query",
            "Content-Length: 1000",
            method="POST",
            body=b"ASK {",
        ),
        True,
        frozenset(),
    ),
]


@dataclass
class Report:
    """What one load run saw; `errors` lists every wrong answer (empty means all correct)."""

    clients: int
    requests_per_client: int
    seconds: float = 0.0
    requests: int = 0
    well_formed: int = 0
    malformed: int = 0
    deliberate_timeouts: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    throughput: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    malformed_p99_ms: float = 0.0
    errors: list[str] = field(default_factory=list)
    leftover_threads: int = 0

    def summary(self) -> str:
        """Return the figures as the lines `python benchmarks/load.py` prints."""
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return "\n".join(
            [
                f"endpoint load test: {self.clients} clients x {self.requests_per_client} requests "
                f"(entailment {ENTAILMENT!r}, loopback, Python {platform.python_version()})",
                f"  requests        {self.requests} in {self.seconds:.2f} s: "
                f"{self.well_formed} well-formed, {self.malformed} malformed, "
                f"{self.deliberate_timeouts} deliberate timeouts (other server)",
                f"  throughput      {self.throughput:.0f} requests/s",
                f"  latency         p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms, "
                f"max {self.max_ms:.1f} ms (well-formed); p99 {self.malformed_p99_ms:.1f} ms (malformed)",
                f"  statuses        {statuses}",
                f"  errors          {len(self.errors)}",
                *(f"    {e}" for e in self.errors[:20]),
                f"  leftover handler threads after the run: {self.leftover_threads}",
            ]
        )


def _canonical_select(data: dict[str, Any]) -> list[str]:
    rows = data["results"]["bindings"]
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def _canonical_csv(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return [lines[0], *sorted(lines[1:])]


def _canonical_graph(data: bytes, fmt: str) -> list[str]:
    g = Graph()
    g.parse(data=data, format=fmt)
    return sorted(" ".join(t.n3() for t in triple) for triple in g)


def expected_answers(kg: genai_graph.KnowledgeGraph) -> dict[str, Any]:
    """Return what each well-formed request must answer, from ``kg.query`` in this thread."""
    out: dict[str, Any] = {}
    for name, key, _, _, accept in WELL_FORMED:
        result = kg.query(QUERIES[key], entailment=ENTAILMENT)
        if isinstance(result, bool):
            out[name] = result
        elif isinstance(result, SelectResult):
            if accept == "text/csv":
                out[name] = _canonical_csv(result.to_csv())
            else:
                out[name] = _canonical_select(json.loads(result.to_json()))
        else:
            out[name] = sorted(" ".join(t.n3() for t in triple) for triple in result)
    return out


def _check_answer(name: str, accept: str, body: bytes, want: Any) -> str | None:
    try:
        if accept == "text/csv":
            got: Any = _canonical_csv(body.decode("utf-8"))
        elif accept == "application/sparql-results+xml":
            got = b"<boolean>true</boolean>" in body
            if not got and b"<boolean>false</boolean>" not in body:
                return f"{name}: no boolean in {body[:200]!r}"
        elif accept in ("text/turtle", "application/n-triples"):
            got = _canonical_graph(body, "turtle" if accept == "text/turtle" else "nt")
        else:
            data = json.loads(body)
            got = data["boolean"] if "boolean" in data else _canonical_select(data)
    except Exception as err:
        return f"{name}: unreadable answer ({type(err).__name__}: {err}): {body[:200]!r}"
    if got != want:
        return f"{name}: wrong answer {str(got)[:200]} (want {str(want)[:200]})"
    return None


def _well_formed(
    conn: http.client.HTTPConnection, spec: tuple[str, str, str, str, str]
) -> tuple[int, bytes]:
    _, key, _, how, accept = spec
    query = QUERIES[key]
    headers = {"Accept": accept}
    if how == "url":
        conn.request("GET", f"{PATH}?{urllib.parse.urlencode({'query': query})}", headers=headers)
    elif how == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request("POST", PATH, body=urllib.parse.urlencode({"query": query}), headers=headers)
    else:
        headers["Content-Type"] = "application/sparql-query"
        conn.request("POST", PATH, body=query.encode("utf-8"), headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def _send_raw(port: int, data: bytes, close_early: bool) -> int | None:
    """Send `data` on a fresh connection; return the status answered, or None if closed without one."""
    with socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close while we send
            sock.sendall(data)
        if close_early:
            return None
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_WR)  # all sent: the server sees the end (a truncated body)
        with sock.makefile("rb") as stream:
            try:
                line = stream.readline(1024)
            except ConnectionError:
                return None
    parts = line.split()
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None


def _handler_threads() -> int:
    return sum(1 for t in threading.enumerate() if "process_request" in t.name)


def run_load(
    kg: genai_graph.KnowledgeGraph,
    *,
    clients: int = 50,
    requests: int = 20,
    malformed_share: float = 0.25,
    deliberate_timeouts: int = 3,
    seed: int = 7,
    log: Callable[[str], None] | None = None,
) -> Report:
    """Run the load described in the module docstring and return what it saw."""
    report = Report(clients=clients, requests_per_client=requests)
    expected = expected_answers(kg)
    errors: list[str] = []
    statuses: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    latencies: list[float] = []
    malformed_latencies: list[float] = []
    lock = threading.Lock()
    threads_before = _handler_threads()

    with SparqlServer(kg, entailment=ENTAILMENT) as main, SparqlServer(kg, timeout=0.5) as slow:
        barrier = threading.Barrier(clients + deliberate_timeouts, timeout=SOCKET_TIMEOUT)

        def record(kind: str, status: int | None, seconds: float, error: str | None) -> None:
            with lock:
                kinds[kind] += 1
                statuses[str(status) if status is not None else "closed"] += 1
                if error is not None:
                    errors.append(error)

        def client(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            conn = http.client.HTTPConnection("127.0.0.1", main.port, timeout=SOCKET_TIMEOUT)
            try:
                barrier.wait()
                for _ in range(requests):
                    start = time.perf_counter()
                    error: str | None
                    if rng.random() < malformed_share:
                        name, data, close_early, allowed = rng.choice(MALFORMED)
                        try:
                            status = _send_raw(main.port, data, close_early)
                            error = None
                        except OSError as err:
                            status, error = None, f"{name}: {type(err).__name__}: {err}"
                        seconds = time.perf_counter() - start
                        if error is None and status is not None and status not in allowed:
                            error = f"{name}: status {status}, want one of {sorted(allowed)} or a closed connection"
                        with lock:
                            malformed_latencies.append(seconds)
                        record("malformed", status, seconds, error)
                    else:
                        spec = rng.choice(WELL_FORMED)
                        try:
                            status, body = _well_formed(conn, spec)
                        except (OSError, http.client.HTTPException) as err:
                            conn.close()
                            record(
                                "well-formed", None, 0.0, f"{spec[0]}: {type(err).__name__}: {err}"
                            )
                            continue
                        seconds = time.perf_counter() - start
                        if status != 200:
                            error = f"{spec[0]}: status {status}: {body[:200]!r}"
                        else:
                            error = _check_answer(spec[0], spec[4], body, expected[spec[0]])
                        with lock:
                            latencies.append(seconds)
                        record("well-formed", status, seconds, error)
            except threading.BrokenBarrierError:
                record("well-formed", None, 0.0, f"client {i}: the start barrier broke")
            finally:
                conn.close()

        def endless(i: int) -> None:
            start = time.perf_counter()
            query = urllib.parse.urlencode({"query": ENDLESS})
            request = _raw(f"{PATH}?{query}")
            try:
                barrier.wait()
                status = _send_raw(slow.port, request, False)
                error = None if status == 503 else f"endless query {i}: status {status}, want 503"
            except (OSError, threading.BrokenBarrierError) as err:
                status, error = None, f"endless query {i}: {type(err).__name__}: {err}"
            record("deliberate timeout", status, time.perf_counter() - start, error)

        workers = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        workers += [
            threading.Thread(target=endless, args=(i,), daemon=True)
            for i in range(deliberate_timeouts)
        ]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(SOCKET_TIMEOUT * 2)
        report.seconds = time.perf_counter() - started
        hung = sum(worker.is_alive() for worker in workers)
        if hung:
            errors.append(f"{hung} client threads still running after {SOCKET_TIMEOUT * 2:.0f} s")

        # both servers still answer
        for server, entailment in ((main, ENTAILMENT), (slow, "told")):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=SOCKET_TIMEOUT)
            try:
                spec = WELL_FORMED[3]
                status, body = _well_formed(conn, spec)
                want = kg.query(QUERIES[spec[1]], entailment=entailment)
                if status != 200 or json.loads(body).get("boolean") != want:
                    errors.append(f"after the load ({entailment}): status {status}: {body[:200]!r}")
            except (OSError, http.client.HTTPException, ValueError) as err:
                errors.append(f"after the load ({entailment}): {type(err).__name__}: {err}")
            finally:
                conn.close()

    # handler threads end once their connections are closed (a hang guard, not a speed check)
    deadline = time.monotonic() + SOCKET_TIMEOUT
    while _handler_threads() > threads_before and time.monotonic() < deadline:
        time.sleep(0.05)
    report.leftover_threads = max(0, _handler_threads() - threads_before)
    if report.leftover_threads:
        errors.append(f"{report.leftover_threads} handler threads left running")

    report.requests = sum(kinds.values())
    report.well_formed = kinds["well-formed"]
    report.malformed = kinds["malformed"]
    report.deliberate_timeouts = kinds["deliberate timeout"]
    report.statuses = dict(statuses)
    report.kinds = dict(kinds)
    report.errors = errors
    report.throughput = (report.well_formed + report.malformed) / report.seconds
    if latencies:
        ordered = sorted(latencies)
        report.p50_ms = statistics.median(ordered) * 1000
        report.p99_ms = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
        report.max_ms = ordered[-1] * 1000
    if malformed_latencies:
        ordered = sorted(malformed_latencies)
        report.malformed_p99_ms = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
    if log is not None:
        log(report.summary())
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the load test against in-process servers, print the figures, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="do not write benchmarks/results/")
    args = parser.parse_args(argv)
    kg = genai_graph.load()
    report = run_load(kg, clients=args.clients, requests=args.requests, seed=args.seed)
    text = report.summary()
    print(text)
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        data = {
            "command": "python benchmarks/load.py",
            "python": platform.python_version(),
            **asdict(report),
        }
        (RESULTS / "load.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        (RESULTS / "load.txt").write_text(text + "\n", encoding="utf-8")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
