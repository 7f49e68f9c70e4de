"""Stores benchmark: loading, reopening and querying with store="memory" and store="oxigraph".

    python benchmarks/stores.py [--classes N]

Side by side, in one run, on a generated taxonomy (benchmarks/generate.py) plus the
bundled ontology:

- load: rdflib's own Graph.parse, genai-graph's memory store, genai-graph's Oxigraph
  store on disk (bulk load), and reopening that store without parsing;
- first is_a after loading or reopening (builds the told index and the name table);
- a SPARQL query (the ancestors of a leaf through a property path) on each store.

Prints the ratios to rdflib; writes benchmarks/results/stores.{json,txt}.
Needs the oxigraph extra: pip install -e '.[oxigraph]'.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rdflib

import genai_graph

sys.path.insert(0, str(Path(__file__).parent))
from generate import taxonomy, write  # a sibling script, not a package

RESULTS = Path(__file__).parent / "results"
QUERY = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?c WHERE { <%s> rdfs:subClassOf* ?c }"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return (seconds, result) of one call."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def median_ms(fn: Callable[[], Any], repeat: int = 20) -> float:
    """Return the median time of `fn` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(n: int) -> dict[str, Any]:
    """Time every store on a taxonomy of `n` classes."""
    out: dict[str, Any] = {"classes": n}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        text, meta = taxonomy(n)
        source = write(tmp / "taxonomy.ttl", text)
        top = str(meta["top"])
        probe = top.replace("C0", f"C{n - 1}")  # a leaf

        seconds, rdf = timed(lambda: rdflib.Graph().parse(source))
        out["triples"] = len(rdf)
        out["load_s"] = {"rdflib Graph.parse": seconds}
        out["query_ms"] = {"rdflib Graph.query": median_ms(lambda: list(rdf.query(QUERY % probe)))}
        rdf = rdflib.Graph()  # free the memory before the next store loads

        seconds, kg = timed(lambda: genai_graph.load(source, entailment="told"))
        out["load_s"]["genai-graph memory"] = seconds
        out["first_is_a_s"] = {"memory": timed(lambda: kg.is_a(probe, top))[0]}
        out["query_ms"]["genai-graph memory"] = median_ms(lambda: kg.query(QUERY % probe))
        del kg

        db = tmp / "db"
        seconds, kg = timed(
            lambda: genai_graph.load(source, store="oxigraph", path=db, entailment="told")
        )
        out["load_s"]["genai-graph oxigraph (bulk load)"] = seconds
        out["first_is_a_s"]["oxigraph"] = timed(lambda: kg.is_a(probe, top))[0]
        out["query_ms"]["genai-graph oxigraph"] = median_ms(lambda: kg.query(QUERY % probe))
        kg.close()
        seconds, kg = timed(lambda: genai_graph.load(store="oxigraph", path=db, entailment="told"))
        out["load_s"]["genai-graph oxigraph (reopen)"] = seconds
        out["first_is_a_s"]["oxigraph reopened"] = timed(lambda: kg.is_a(probe, top))[0]
        kg.close()
        out["disk_mb"] = sum(f.stat().st_size for f in db.rglob("*") if f.is_file()) / 1e6
        shutil.rmtree(db)
    return out


def report(results: dict[str, Any]) -> list[str]:
    """Format the results."""
    lines = [f"genai-graph stores benchmark on {results['machine']}", ""]
    for r in results["sizes"]:
        base = r["load_s"]["rdflib Graph.parse"]
        lines.append(
            f"{r['classes']:,} classes, {r['triples']:,} triples (genai-graph adds its bundled ontology)"
        )
        lines.append(f"  {'load':40}{'seconds':>10}{'vs rdflib':>12}")
        for name, s in r["load_s"].items():
            lines.append(f"  {name:40}{s:>10.2f}{base / s:>11.1f}x")
        lines.append(f"  {'first is_a after load (index + names)':40}")
        for name, s in r["first_is_a_s"].items():
            lines.append(f"    {name:38}{s:>10.2f}")
        q = r["query_ms"]["rdflib Graph.query"]
        lines.append(f"  {'SPARQL ancestors (subClassOf*), ms':40}{'median':>10}{'vs rdflib':>12}")
        for name, ms in r["query_ms"].items():
            lines.append(f"  {name:40}{ms:>10.2f}{q / ms:>11.1f}x")
        lines.append(f"  {'oxigraph database on disk, MB':40}{r['disk_mb']:>10.1f}")
        lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--classes", type=int, action="append", help="taxonomy sizes (default 10,000 and 100,000)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("GENAI_GRAPH_CACHE", "off")
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": [run(n) for n in (args.classes or [10_000, 100_000])],
    }
    text = report(results)
    print("\n".join(text))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "stores.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    (RESULTS / "stores.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
