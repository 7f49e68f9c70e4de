"""Concurrency: one KnowledgeGraph answers many threads at once, and the endpoint survives load.

The graph tests start from a fresh graph, so its lazy caches (the regimes, the
name index, the entailed SPARQL dataset, the fast is_a table) are built while
16 threads, released together by a barrier, ask for them; every answer is
compared with the one a single thread gets from another fresh graph.

The endpoint test runs the load generator of ``benchmarks/load.py``: 50 client
threads of well-formed SELECT, ASK and CONSTRUCT requests (answers compared
with ``kg.query``) and malformed raw-socket requests (garbage request lines,
truncated bodies, huge headers, slowloris-style partial requests, invalid
UTF-8), all on loopback, bounded in count and time. It prints throughput and
latency but asserts none of them: only correctness, status codes, and
generous hang guards.
"""

from __future__ import annotations

import importlib.util
import random
import sys
import threading
import time
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rdflib import Graph

import genai_graph
import genai_graph.graph as graph_module
from genai_graph.endpoint import SparqlServer
from genai_graph.errors import QueryTimeoutError
from genai_graph.model import ConceptSet
from genai_graph.sparql import SelectResult

THREADS = 16
HANG_GUARD = 120.0  # seconds a thread may take before the test calls it hung (never a timing check)
# A cartesian product over the whole ontology: far too many rows to count in time.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SUBCLASSES = "SELECT ?x ?label WHERE { ?x rdfs:subClassOf genai:GenerativeAI . OPTIONAL { ?x rdfs:label ?label } }"
MODELS = "SELECT ?m ?a WHERE { ?m genai:usesArchitecture ?a }"
ASK_TYPE = "ASK { genai:GPT4 a genai:GenerativeAI }"
ASK_GRAPH = "ASK { GRAPH <urn:genai-graph:inferred> { genai:GPT4 a genai:GenerativeAI } }"
CONSTRUCT = "CONSTRUCT { ?x rdfs:subClassOf ?y } WHERE { ?x rdfs:subClassOf ?y }"


def plain(value: object) -> object:
    """Turn an answer into plain data that compares equal across two graphs."""
    if isinstance(value, SelectResult):
        return sorted(
            tuple(sorted((k, repr(v)) for k, v in row.items())) for row in value.to_dicts()
        )
    if isinstance(value, Graph):
        return sorted(" ".join(t.n3() for t in triple) for triple in value)
    if isinstance(value, (list, tuple, set, frozenset, ConceptSet)):
        return sorted(repr(v) for v in value)
    if isinstance(value, (bool, int, float)):
        return value
    return str(value) + " | " + repr(value)


# Each operation: a name and what it asks of a graph. Together they touch every lazy cache.
OPERATIONS: list[tuple[str, Callable[[genai_graph.KnowledgeGraph], object]]] = [
    ("is_a default", lambda kg: kg.is_a("GPT-4", "Generative AI")),
    ("is_a concept fast path", lambda kg: kg.is_a(kg.concept("GPT-4"), kg.concept("LLM"))),
    ("is_a negative", lambda kg: kg.is_a("Generative AI", "LLM")),
    ("is_a told", lambda kg: kg.is_a("GPT-4", "Generative AI", entailment="told")),
    ("is_a rdfs", lambda kg: kg.is_a("GPT-4", "Generative AI", entailment="rdfs")),
    ("ancestors", lambda kg: kg.ancestors("GPT-4")),
    ("ancestors told", lambda kg: kg.ancestors("LLM", entailment="told")),
    ("descendants", lambda kg: kg.descendants("Generative AI")),
    ("explain", lambda kg: kg.explain("GPT-4", "Generative AI")),
    ("explain rdfs", lambda kg: kg.explain("GPT-4", "Generative AI", entailment="rdfs")),
    ("relations", lambda kg: kg.relations("GPT-4")),
    ("relations inferred", lambda kg: kg.relations("GPT-4", inferred=True)),
    ("concept by synonym", lambda kg: kg.concept("LLM")),
    ("concept by CURIE", lambda kg: kg.concept("genai:LargeLanguageModel")),
    ("concept label", lambda kg: kg.concept("GPT-4").label),
    ("similarity", lambda kg: kg.similarity("GPT-4", "LLM")),
    ("select told", lambda kg: kg.query(SUBCLASSES)),
    ("select el", lambda kg: kg.query(SUBCLASSES, entailment="el")),
    ("select rdfs", lambda kg: kg.query(MODELS, entailment="rdfs")),
    ("ask told", lambda kg: kg.query(ASK_TYPE)),
    ("ask el", lambda kg: kg.query(ASK_TYPE, entailment="el")),
    ("ask named graph", lambda kg: kg.query(ASK_GRAPH, entailment="rdfs")),
    ("construct", lambda kg: kg.query(CONSTRUCT)),
    ("select with timeout", lambda kg: kg.query(SUBCLASSES, entailment="el", timeout=60)),
    ("table", lambda kg: table(kg, SUBCLASSES)),  # the name index, via shorten
]


def table(kg: genai_graph.KnowledgeGraph, query: str) -> str:
    """Draw a SELECT's text table (it shortens IRIs through the name index)."""
    rows = kg.query(query)
    assert isinstance(rows, SelectResult)
    return rows.to_table()


@pytest.fixture(scope="module")
def expected() -> dict[str, object]:
    """Every operation's answer from one thread on its own fresh graph."""
    kg = genai_graph.load()
    return {name: plain(op(kg)) for name, op in OPERATIONS}


def run_threads(count: int, work: Callable[[int, threading.Barrier], None]) -> list[str]:
    """Run `work(i, barrier)` in `count` threads released together; return their failures."""
    barrier = threading.Barrier(count, timeout=HANG_GUARD)
    failures: list[str] = []

    def target(i: int) -> None:
        try:
            work(i, barrier)
        except BaseException as err:  # any failure in a thread must reach the test
            if not isinstance(err, threading.BrokenBarrierError):
                failures.append(f"thread {i}: {type(err).__name__}: {err}")
            barrier.abort()  # release the others rather than leave them waiting

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD)
    hung = [t.name for t in threads if t.is_alive()]
    assert not hung, f"threads still running after {HANG_GUARD} s: {hung}"
    return failures


@pytest.fixture
def build_counts(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count (real) regime and name-index builds made through KnowledgeGraph's caches."""
    counts: dict[str, int] = {}
    lock = threading.Lock()
    real_regime = graph_module.build_regime  # type: ignore[attr-defined]
    real_names = graph_module.NameIndex  # type: ignore[attr-defined]

    def count(what: str) -> None:
        with lock:
            counts[what] = counts.get(what, 0) + 1

    def build_regime(name: str, graph: Graph) -> Any:
        count(f"regime:{name}")
        return real_regime(name, graph)

    def name_index(*args: Any) -> Any:
        count("names")
        return real_names(*args)

    monkeypatch.setattr(graph_module, "build_regime", build_regime)
    monkeypatch.setattr(graph_module, "NameIndex", name_index)
    return counts


def test_a_fresh_graph_answers_many_threads_at_once(
    expected: dict[str, object], build_counts: dict[str, int]
) -> None:
    """16 threads x every operation, 2 rounds: right answers, each cache built once, no leak."""
    kg = genai_graph.load()  # fresh: every cache is built under contention
    filters = list(warnings.filters)
    rounds = 2

    def work(i: int, barrier: threading.Barrier) -> None:
        order = OPERATIONS[i % len(OPERATIONS) :] + OPERATIONS[: i % len(OPERATIONS)]
        for round_ in range(rounds):
            barrier.wait()  # every thread starts each round at once
            if round_:
                order = random.Random(i * 100 + round_).sample(order, len(order))
            for name, op in order:
                got = plain(op(kg))
                assert got == expected[name], f"{name}: {got!r} != {expected[name]!r}"

    failures = run_threads(THREADS, work)
    assert not failures, "\n".join(failures)
    # each cache was built once, not once per racing thread
    assert build_counts == {"regime:el": 1, "regime:rdfs": 1, "regime:told": 1, "names": 1}
    # no thread's warning filter leaked into (or out of) the process-wide list
    assert warnings.filters == filters


@pytest.mark.slow
def test_query_timeouts_stop_only_their_own_thread(expected: dict[str, object]) -> None:
    """4 threads run endless queries with a 0.3 s limit while 12 others must finish correctly."""
    kg = genai_graph.load()
    kg.query("ASK {}", entailment="el")  # the timeout does not cover building the entailment
    slow_threads, rounds = 4, 2
    timeouts: list[float] = []
    lock = threading.Lock()

    def work(i: int, barrier: threading.Barrier) -> None:
        for _ in range(rounds):
            barrier.wait()
            if i < slow_threads:  # these run past their limit
                entailment = "el" if i % 2 else "told"
                start = time.monotonic()
                with pytest.raises(QueryTimeoutError):
                    kg.query(SLOW, entailment=entailment, timeout=0.3)
                with lock:
                    timeouts.append(time.monotonic() - start)
                # the thread goes on working normally afterwards
                assert plain(kg.query(ASK_TYPE, entailment="el")) == expected["ask el"]
            else:  # these, with and without a (generous) limit of their own, finish correctly
                for name, op in OPERATIONS:
                    got = plain(op(kg))
                    assert got == expected[name], f"{name}: {got!r} != {expected[name]!r}"
                got = plain(kg.query(SUBCLASSES, entailment="el", timeout=30))
                assert got == expected["select el"]

    failures = run_threads(THREADS, work)
    assert not failures, "\n".join(failures)
    assert len(timeouts) == slow_threads * rounds
    assert kg.query(ASK_TYPE, entailment="el") is True  # the graph is unharmed


# -- the endpoint under load -------------------------------------------------------------


def load_module() -> ModuleType:
    """Import benchmarks/load.py, the load generator (benchmarks/ is not a package)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "load.py"
    spec = importlib.util.spec_from_file_location("genai_graph_benchmarks_load", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_endpoint_survives_50_clients_and_malformed_requests(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """benchmarks/load.py: 50 clients x 12 requests, well-formed and malformed, all answered right."""
    load = load_module()
    kg = genai_graph.load()
    report = load.run_load(kg, clients=50, requests=12, seed=11)
    with capsys.disabled():
        print("\n" + report.summary())
    assert not report.errors, "\n".join(report.errors)
    assert report.kinds == {
        "well-formed": report.well_formed,
        "malformed": report.malformed,
        "deliberate timeout": 3,
    }
    assert report.requests == 50 * 12 + 3
    assert report.well_formed > 300 and report.malformed > 80  # the mix really had both
    assert report.statuses["200"] == report.well_formed  # every well-formed request answered
    assert report.statuses["503"] == 3  # only the deliberate timeouts
    server_errors = {s for s in report.statuses if s.startswith("5")} - {"503", "505"}
    assert not server_errors
    assert report.leftover_threads == 0
    # and a fresh server on the same graph answers as kg.query does
    with SparqlServer(kg) as server:
        url = (
            server.url
            + "?query="
            + urllib.parse.quote("ASK { genai:GPT4 a genai:LargeLanguageModel }")
        )
        with urllib.request.urlopen(url, timeout=60) as response:
            assert response.read() == b'{"head": {}, "boolean": true}'
