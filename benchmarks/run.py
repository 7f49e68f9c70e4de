"""Subsumption and classification benchmarks, side by side with the obvious alternatives.

Run ``python benchmarks/run.py`` (about 5 minutes here; ``--quick`` for sizes up
to 10,000 in well under a minute). Needs ``pip install -e '.[bench]'``
(pyoxigraph, matplotlib); HermiT runs too when Java and owlready2 are there.

For each seeded synthetic ontology (1,000, 10,000 and 100,000 classes) it
measures, in one process and on the same random pairs of classes:

- ``floor``: ``b in ancestors[a]`` on a dict of frozensets (the speed limit);
- ``genai-graph``: ``kg.is_a(a, b)`` on resolved concepts, and on IRIs;
- ``networkx``: ``nx.has_path`` on the subclass DiGraph;
- ``pyoxigraph``: ``ASK { <a> rdfs:subClassOf* <b> }`` on an in-memory Store;
- ``rdflib``: the same ASK as a string, and prepared with ``initBindings``;

then the descendants of the top class, load and index build times, memory,
EL classification (against HermiT) and OWL RL closure (owlrl). It checks that
every method gives the same answers, prints ratios and the issue's targets
(PASS or FAIL), writes ``benchmarks/results/latest.json`` and draws
``benchmarks/results/scaling.png``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import el_ontology, taxonomy  # noqa: E402

import genai_graph  # noqa: E402

RESULTS = HERE / "results"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return (seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def per_call_fast(
    fn: Callable[[Any, Any], bool], pairs: list[tuple[Any, Any]], repeats: int = 5
) -> float:
    """Best mean seconds per call over `repeats` loops of all pairs (for sub-microsecond calls)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for a, b in pairs:
            fn(a, b)
        best = min(best, (time.perf_counter() - start) / len(pairs))
    return best


def per_call_slow(
    fn: Callable[[Any, Any], bool], pairs: list[tuple[Any, Any]], budget: float
) -> tuple[float, int]:
    """Median seconds per call, calling until `budget` seconds are spent; returns (median, calls)."""
    times = []
    spent = 0.0
    for a, b in pairs:
        start = time.perf_counter()
        fn(a, b)
        took = time.perf_counter() - start
        times.append(took)
        spent += took
        if spent > budget and len(times) >= 3:
            break
    return statistics.median(times), len(times)


def memory_probe(path: str) -> dict[str, float]:
    """In a fresh process: MB held by an rdflib Graph of the file, and by genai-graph's index over it."""
    from rdflib import Graph

    gc.collect()
    tracemalloc.start()
    graph = Graph().parse(path, format="turtle")
    gc.collect()
    graph_bytes = tracemalloc.get_traced_memory()[0]
    del graph
    gc.collect()
    kg = genai_graph.load(path, bundled=False, entailment="told")
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    kg._index()
    gc.collect()
    index_bytes = tracemalloc.get_traced_memory()[0] - before
    return {"rdflib_graph_mb": graph_bytes / 2**20, "index_mb": index_bytes / 2**20}


def bench_size(n: int, tmp: Path, rng: random.Random, budget: float) -> dict[str, Any]:
    """All subsumption measurements for one ontology size."""
    import networkx as nx
    import pyoxigraph as ox
    from rdflib import Graph, URIRef, Variable
    from rdflib.namespace import RDFS
    from rdflib.plugins.sparql import prepareQuery

    out: dict[str, Any] = {"classes": n}
    text, facts = taxonomy(n, seed=n)
    path = tmp / f"taxonomy-{n}.ttl"
    path.write_text(text, encoding="utf-8")
    out["depth"] = facts["depth"]

    out["rdflib_parse_s"], rdf = timed(lambda: Graph().parse(path, format="turtle"))
    out["triples"] = len(rdf)
    out["load_s"], kg = timed(lambda: genai_graph.load(path, bundled=False, entailment="told"))
    out["index_build_s"], index = timed(lambda: kg._index())
    out["build_vs_parse"] = out["index_build_s"] / out["rdflib_parse_s"]
    store = ox.Store()
    out["oxigraph_load_s"], _ = timed(
        lambda: store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    )
    out["networkx_build_s"], dag = timed(
        lambda: nx.DiGraph(list(rdf.subject_objects(RDFS.subClassOf)))
    )

    classes = sorted(c for c in index.classes if str(c).startswith("http://example.org/"))
    pairs: list[tuple[URIRef, URIRef]] = []
    for _ in range(2000):
        a = rng.choice(classes)
        ups = list(index.ancestors(a))
        b = rng.choice(ups) if ups and rng.random() < 0.5 else rng.choice(classes)
        pairs.append((a, b))
    # the floor: what a hand-built table of every class's ancestors answers with one set test
    floor = {c: frozenset(index.ancestors(c, reflexive=True)) for c in classes}
    concept_pairs = [(kg.concept(a), kg.concept(b)) for a, b in pairs]

    ask = prepareQuery("ASK { ?a rdfs:subClassOf* ?b }", initNs={"rdfs": RDFS})
    answers = {
        "floor": [b in floor[a] for a, b in pairs],
        "genai-graph": [kg.is_a(a, b) for a, b in concept_pairs],
        "networkx": [a == b or nx.has_path(dag, a, b) for a, b in pairs[:200]],
    }

    def oxi(a: URIRef, b: URIRef) -> bool:
        return bool(store.query(f"ASK {{ <{a}> <{RDFS.subClassOf}>* <{b}> }}"))

    def rdflib_string(a: URIRef, b: URIRef) -> bool:
        return bool(rdf.query(f"ASK {{ <{a}> <{RDFS.subClassOf}>* <{b}> }}").askAnswer)

    def rdflib_prepared(a: URIRef, b: URIRef) -> bool:
        return bool(rdf.query(ask, initBindings={Variable("a"): a, Variable("b"): b}).askAnswer)

    for name, fn in (
        ("pyoxigraph", oxi),
        ("rdflib (string)", rdflib_string),
        ("rdflib (prepared)", rdflib_prepared),
    ):
        answers[name] = [fn(a, b) for a, b in pairs[:30]]
    agree = all(answers[k] == answers["floor"][: len(answers[k])] for k in answers)
    out["answers_agree"] = agree

    timings = {
        "floor": per_call_fast(lambda a, b: b in floor[a], pairs),
        "genai-graph": per_call_fast(kg.is_a, concept_pairs),  # type: ignore[arg-type]
        "genai-graph (IRIs)": per_call_fast(kg.is_a, pairs),  # type: ignore[arg-type]
        "networkx": per_call_slow(lambda a, b: a == b or nx.has_path(dag, a, b), pairs, budget)[0],
        "pyoxigraph": per_call_slow(oxi, pairs, budget)[0],
        "rdflib (prepared)": per_call_slow(rdflib_prepared, pairs, budget)[0],
        "rdflib (string)": per_call_slow(rdflib_string, pairs, budget)[0],
    }
    out["is_a_us"] = {k: v * 1e6 for k, v in timings.items()}

    top = URIRef(str(facts["top"]))
    desc: dict[str, float] = {}
    desc["genai-graph"] = min(timed(lambda: len(kg.descendants(top)))[0] for _ in range(5))
    desc["genai-graph (first call)"] = _first_descendants(path, top)
    desc["networkx"] = timed(lambda: len(nx.ancestors(dag, top)))[0]
    desc["pyoxigraph"] = timed(
        lambda: len(list(store.query(f"SELECT ?x WHERE {{ ?x <{RDFS.subClassOf}>* <{top}> }}")))
    )[0]
    desc["rdflib"] = timed(
        lambda: len(rdf.query(f"SELECT ?x WHERE {{ ?x <{RDFS.subClassOf}>* <{top}> }}"))
    )[0]
    out["descendants_of_top_ms"] = {k: v * 1e3 for k, v in desc.items()}
    out["descendants_of_top_count"] = len(kg.descendants(top))

    # time proportional to the answer: microseconds per returned class, small and large answers
    sizes = sorted((len(kg.descendants(c)), c) for c in rng.sample(classes, min(300, len(classes))))
    small = [c for k, c in sizes if 0 < k <= 20][:20]
    large = [c for k, c in sizes if k > 200][:20]
    per_item = {}
    for label, chosen in (("small answers", small), ("large answers", large)):
        if chosen:
            total = sum(timed(lambda c=c: len(kg.descendants(c)))[0] for c in chosen)
            items = sum(len(kg.descendants(c)) for c in chosen)
            per_item[label] = total / max(items, 1) * 1e6
    out["descendants_us_per_result"] = per_item
    return out


def _first_descendants(path: Path, top: Any) -> float:
    """Seconds for the first descendants() call on a freshly loaded graph (includes one-off work)."""
    kg = genai_graph.load(path, bundled=False, entailment="told")
    kg._index()
    return timed(lambda: len(kg.descendants(top)))[0]


def bench_reasoning(tmp: Path, quick: bool, hermit: bool) -> dict[str, Any]:
    """EL classification (bundled and generated) against HermiT, and owlrl's OWL RL closure."""
    out: dict[str, Any] = {}
    limit = 60.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", genai_graph.GenAIGraphWarning)
        kg = genai_graph.load()
        out["bundled_el_s"], _ = timed(lambda: kg._index("el"))
        out["bundled_owlrl_s"] = owlrl_seconds(None, limit)
        n, defined = (2000, 400) if quick else (10_000, 2_000)
        path = tmp / f"el-{n}.ttl"
        path.write_text(el_ontology(n, defined), encoding="utf-8")
        generated = genai_graph.load(path, bundled=False)
        out["el_classes"], out["el_defined"] = n, defined
        out["el_s"], index = timed(lambda: generated._index("el"))
        small = tmp / "el-300.ttl"
        small.write_text(el_ontology(300, 60), encoding="utf-8")
        small_kg = genai_graph.load(small, bundled=False)
        out["el_300_s"], _ = timed(lambda: small_kg._index("el"))
        out["owlrl_300_s"] = owlrl_seconds(small, limit)
        out["owlrl_limit_s"] = limit
    if hermit:
        out.update(_hermit_compare(path, generated, index, tmp))
    return out


def owlrl_seconds(path: Path | None, limit: float) -> float | None:
    """Seconds owlrl's OWL 2 RL closure takes (None if not done within `limit`); bundled when `path` is None.

    It runs in a child process, because owlrl cannot be interrupted and can
    take many minutes on ontologies with thousands of restrictions.
    """
    code = (
        "import sys, time, warnings, genai_graph; warnings.simplefilter('ignore');"
        "kg = genai_graph.load(*sys.argv[1:], bundled=not sys.argv[1:]);"
        "t = time.perf_counter(); kg._index('owl-rl'); print(time.perf_counter() - t)"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *([str(path)] if path else [])],
            capture_output=True,
            text=True,
            timeout=limit + 30,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    seconds = float(done.stdout.strip())
    return seconds if seconds <= limit else None


def _hermit_compare(path: Path, kg: Any, index: Any, tmp: Path) -> dict[str, Any]:
    """Classify the generated EL ontology with HermiT; compare named-class subsumptions."""
    import importlib.util
    import re

    from rdflib import Graph, URIRef
    from rdflib.namespace import OWL, RDF

    java = shutil.which("java")
    spec = importlib.util.find_spec("owlready2")
    if java is None or spec is None or spec.origin is None:
        return {"hermit": "skipped: needs Java and owlready2"}
    jar = Path(spec.origin).parent / "hermit"
    nt = tmp / "el.nt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = Graph().parse(path, format="turtle")
        graph.serialize(nt, format="nt", encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run(
        [
            java,
            "-Xmx4000M",
            "-cp",
            f"{jar}{os.pathsep}{jar / 'HermiT.jar'}",
            "org.semanticweb.HermiT.cli.CommandLine",
            "-c",
            nt.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    took = time.perf_counter() - start
    import networkx as nx

    tax = nx.DiGraph()
    named = {str(c) for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    for line in done.stdout.splitlines():
        found = re.findall(r"<([^>]*)>", line)
        if line.startswith("SubClassOf") and len(found) == 2:
            tax.add_edge(found[0], found[1])
        elif line.startswith("EquivalentClasses"):
            for a in found:
                for b in found:
                    if a != b:
                        tax.add_edge(a, b)
    tax.add_nodes_from(named)
    hermit_pairs = {(a, b) for a in named for b in nx.descendants(tax, a) if b in named}
    ours = {
        (str(a), str(b))
        for a in index.classes
        if str(a) in named
        for b in index.ancestors(a)
        if str(b) in named
    }
    return {"hermit_s": took, "hermit_agrees": hermit_pairs == ours, "subsumptions": len(ours)}


def cli_time() -> float:
    """Median wall seconds of `genai-graph is-a LLM "Generative AI"` over 5 runs."""
    exe = shutil.which("genai-graph") or str(Path(sys.executable).parent / "genai-graph")
    runs = [
        timed(
            lambda: subprocess.run(
                [exe, "is-a", "LLM", "Generative AI"], capture_output=True, check=True
            )
        )[0]
        for _ in range(5)
    ]
    return statistics.median(runs)


def report(results: dict[str, Any]) -> list[str]:
    """Format the results as the text this command prints."""
    lines = [f"genai-graph benchmarks on {results['machine']}", ""]
    methods = [
        "floor",
        "genai-graph",
        "genai-graph (IRIs)",
        "networkx",
        "pyoxigraph",
        "rdflib (prepared)",
        "rdflib (string)",
    ]
    header = f"{'is_a: microseconds per query':32}" + "".join(
        f"{s['classes']:>14,}" for s in results["sizes"]
    )
    lines += [header, "-" * len(header)]
    for m in methods:
        row = f"{m:32}" + "".join(f"{s['is_a_us'][m]:>14.3f}" for s in results["sizes"])
        lines.append(row)
    lines.append("")
    lines.append(
        f"{'ratio to genai-graph':32}" + "".join(f"{s['classes']:>14,}" for s in results["sizes"])
    )
    for m in methods:
        lines.append(
            f"{m:32}"
            + "".join(
                f"{s['is_a_us'][m] / s['is_a_us']['genai-graph']:>13.1f}x" for s in results["sizes"]
            )
        )
    lines.append("")
    for key, title in (("descendants_of_top_ms", "descendants of the top class, ms"),):
        lines.append(f"{title:32}" + "".join(f"{s['classes']:>14,}" for s in results["sizes"]))
        for m in results["sizes"][0][key]:
            lines.append(f"{m:32}" + "".join(f"{s[key][m]:>14.3f}" for s in results["sizes"]))
        lines.append("")
    lines.append(
        f"{'descendants, us per returned class':32}"
        + "".join(f"{s['classes']:>14,}" for s in results["sizes"])
    )
    for label in ("small answers", "large answers"):
        lines.append(
            f"{'  ' + label:32}"
            + "".join(
                f"{s['descendants_us_per_result'].get(label, float('nan')):>14.3f}"
                for s in results["sizes"]
            )
        )
    lines.append("")
    rows = [
        ("triples", "triples", "{:,}"),
        ("rdflib parse (default Graph), s", "rdflib_parse_s", "{:.3f}"),
        ("genai-graph load, s", "load_s", "{:.3f}"),
        ("genai-graph index build, s", "index_build_s", "{:.3f}"),
        ("  build / rdflib parse", "build_vs_parse", "{:.1%}"),
        ("pyoxigraph bulk load, s", "oxigraph_load_s", "{:.3f}"),
        ("networkx DiGraph build, s", "networkx_build_s", "{:.3f}"),
        ("rdflib graph memory, MB", "rdflib_graph_mb", "{:.1f}"),
        ("genai-graph index memory, MB", "index_mb", "{:.1f}"),
        ("all methods agree", "answers_agree", "{}"),
    ]
    lines.append(
        f"{'load and build':32}" + "".join(f"{s['classes']:>14,}" for s in results["sizes"])
    )
    for title, key, fmt in rows:
        lines.append(
            f"{title:32}"
            + "".join(f"{fmt.format(s.get(key, float('nan'))):>14}" for s in results["sizes"])
        )
    lines.append("")
    r = results["reasoning"]
    lines.append("classification")

    def rl(seconds: float | None) -> str:
        return (
            f"{seconds:.2f} s"
            if seconds is not None
            else f"more than {r['owlrl_limit_s']:.0f} s (stopped)"
        )

    lines.append(
        f"  bundled ontology, EL: {r['bundled_el_s']:.3f} s; OWL RL (owlrl): {rl(r['bundled_owlrl_s'])}"
    )
    lines.append(
        f"  300 classes + 60 defined: EL {r['el_300_s']:.3f} s; OWL RL (owlrl): {rl(r['owlrl_300_s'])}"
    )
    lines.append(
        f"  {r['el_classes']:,} classes + {r['el_defined']:,} defined: EL {r['el_s']:.2f} s"
    )
    if "hermit_s" in r:
        lines.append(
            f"  HermiT on the same: {r['hermit_s']:.2f} s; same subsumptions: {r['hermit_agrees']} ({r['subsumptions']:,})"
        )
    else:
        lines.append(f"  HermiT: {r.get('hermit', 'not run')}")
    lines.append(
        f'  CLI `genai-graph is-a LLM "Generative AI"`: {results["cli_s"]:.3f} s wall (median of 5)'
    )
    lines.append("")
    lines += ["targets (issue 4)"] + [
        f"  {'PASS' if ok else 'FAIL'}  {text}" for text, ok in targets(results)
    ]
    return lines


def targets(results: dict[str, Any]) -> list[tuple[str, bool]]:
    """Return the issue's targets, each with whether this run meets it."""
    out = []
    for s in results["sizes"]:
        t = s["is_a_us"]
        n = f"{s['classes']:,} classes"
        out.append(
            (
                f"is_a <= 3x the frozenset floor at {n} ({t['genai-graph'] / t['floor']:.1f}x)",
                t["genai-graph"] <= 3 * t["floor"],
            )
        )
        out.append(
            (
                f"is_a >= 100x faster than rdflib prepared ASK at {n} ({t['rdflib (prepared)'] / t['genai-graph']:,.0f}x)",
                t["rdflib (prepared)"] >= 100 * t["genai-graph"],
            )
        )
        out.append(
            (
                f"is_a >= 10x faster than pyoxigraph ASK at {n} ({t['pyoxigraph'] / t['genai-graph']:,.0f}x)",
                t["pyoxigraph"] >= 10 * t["genai-graph"],
            )
        )
    big = results["sizes"][-1]
    if big["classes"] >= 100_000:
        out.append(
            (
                f"index build <= 20% of rdflib parse at 100,000 ({big['build_vs_parse']:.0%})",
                big["build_vs_parse"] <= 0.2,
            )
        )
        out.append(
            (
                f"index memory <= rdflib graph memory ({big['index_mb']:.0f} MB vs {big['rdflib_graph_mb']:.0f} MB)",
                big["index_mb"] <= big["rdflib_graph_mb"],
            )
        )
        d = big["descendants_of_top_ms"]
        out.append(
            (
                f"descendants of the top of 100,000 < 10 ms ({d['genai-graph']:.3f} ms; first call {d['genai-graph (first call)']:.1f} ms)",
                d["genai-graph"] < 10,
            )
        )
    r = results["reasoning"]
    out.append(
        (
            f"EL classification of the bundled ontology < 1 s ({r['bundled_el_s']:.3f} s)",
            r["bundled_el_s"] < 1,
        )
    )
    out.append(
        (
            f"EL of {r['el_classes']:,} classes / {r['el_defined']:,} defined < 60 s ({r['el_s']:.1f} s)",
            r["el_s"] < 60,
        )
    )
    if "hermit_agrees" in r:
        out.append(
            ("EL subsumptions equal HermiT's on the generated ontology", bool(r["hermit_agrees"]))
        )
    out.append((f"CLI is-a < 0.6 s wall ({results['cli_s']:.2f} s)", results["cli_s"] < 0.6))
    return out


def plot(results: dict[str, Any], path: Path) -> str:
    """Draw time per query and build time against size, log-log; return what was written."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no plot (pip install -e '.[bench]')"
    sizes = [s["classes"] for s in results["sizes"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    for m in [
        "genai-graph",
        "floor",
        "networkx",
        "pyoxigraph",
        "rdflib (prepared)",
        "rdflib (string)",
    ]:
        left.plot(sizes, [s["is_a_us"][m] for s in results["sizes"]], marker="o", label=m)
    left.set(
        xscale="log",
        yscale="log",
        xlabel="classes",
        ylabel="microseconds per is-a query",
        title="is-a query",
    )
    left.legend(fontsize=8)
    for label, key in (
        ("rdflib parse", "rdflib_parse_s"),
        ("genai-graph load", "load_s"),
        ("genai-graph index build", "index_build_s"),
        ("pyoxigraph bulk load", "oxigraph_load_s"),
        ("networkx build", "networkx_build_s"),
    ):
        right.plot(sizes, [s[key] for s in results["sizes"]], marker="o", label=label)
    right.set(
        xscale="log", yscale="log", xlabel="classes", ylabel="seconds", title="load and build"
    )
    right.legend(fontsize=8)
    fig.suptitle(f"genai-graph {genai_graph.__version__} on {results['machine']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return f"wrote {path}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="sizes 1,000 and 10,000 only, smaller EL ontology"
    )
    parser.add_argument("--no-hermit", action="store_true", help="skip the HermiT comparison")
    parser.add_argument(
        "--budget", type=float, default=3.0, help="seconds per slow method and size (default 3)"
    )
    parser.add_argument("--memory-probe", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe)))
        return 0
    sizes = [1000, 10_000] if args.quick else [1000, 10_000, 100_000]
    rng = random.Random(20261129)
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": [],
    }
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for n in sizes:
            print(f"... {n:,} classes", file=sys.stderr)
            result = bench_size(n, tmp, rng, args.budget)
            probe = subprocess.run(
                [sys.executable, __file__, "--memory-probe", str(tmp / f"taxonomy-{n}.ttl")],
                capture_output=True,
                text=True,
                check=True,
            )
            result.update(json.loads(probe.stdout))
            results["sizes"].append(result)
        print("... classification", file=sys.stderr)
        results["reasoning"] = bench_reasoning(tmp, args.quick, hermit=not args.no_hermit)
    results["cli_s"] = cli_time()
    text = report(results)
    print("\n".join(text))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps(results, indent=2, default=str), encoding="utf-8"
    )
    (RESULTS / "latest.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    print(plot(results, RESULTS / "scaling.png"))
    return 0 if all(ok for _, ok in targets(results)) else 1


if __name__ == "__main__":
    sys.exit(main())
