"""Views benchmark: exporting the HTML explorer page, and drawing it in Chromium.

    python benchmarks/views.py [--nodes 5000] [--repeat 5] [--no-browser]

Side by side, in one run, on the bundled map of Generative AI and on a generated
graph of about 5,000 nodes (benchmarks/generate.py: a seeded is-a DAG with
multiple inheritance, plus individuals):

- export: ``kg.to_html()`` (networkx conversion, layout, page), the first call
  in the process (cold: templates, vis-network bundle, indexes) and the median
  of the next calls (warm); next to it pyvis 0.3.2 from the same networkx graph
  (``Network.from_nx`` + ``generate_html``, ``cdn_resources="in_line"``), the
  obvious alternative, which still needs the internet for bootstrap;
- page size of both;
- in Debian's Chromium (Playwright, /usr/bin/chromium, never a downloaded
  browser): the time from navigation until the page has laid out and drawn the
  graph (``document.body.dataset.ready``), and until it is interactive (a
  click on a node has opened the side panel), median of --repeat loads.

Targets (issue 6): the bundled map exports in under 0.5 s; the 5,000-node page
exports in under 3 s and is drawn and interactive within 5 s. Prints the
results and ratios to the targets and to pyvis; writes
benchmarks/results/views.{json,txt}. Timed assertions live here, not in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generate import taxonomy, write  # a sibling script, not a package

import genai_graph

RESULTS = Path(__file__).parent / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGETS = {
    "bundled": {"export_s": 0.5},
    "generated": {"export_s": 3.0, "interactive_s": 5.0},
}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return (seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def export(kg: genai_graph.KnowledgeGraph, repeat: int) -> dict[str, Any]:
    """Time kg.to_html(): the first call, then the median of `repeat` more."""
    cold, page = timed(kg.to_html)
    warm = [timed(kg.to_html)[0] for _ in range(repeat)]
    return {"cold_s": cold, "warm_s": statistics.median(warm), "bytes": len(page), "page": page}


def pyvis_export(kg: genai_graph.KnowledgeGraph, repeat: int) -> dict[str, Any]:
    """Time pyvis on the same networkx graph (the page it writes needs a CDN for bootstrap)."""
    from pyvis.network import Network

    graph = kg.to_networkx()

    def run() -> str:
        # pyvis wants plain attributes; keep the label and a text title as pyvis users do.
        net = Network(height="700px", width="100%", directed=True, cdn_resources="in_line")
        for node, attrs in graph.nodes(data=True):
            net.add_node(node, label=attrs["label"], title=attrs.get("definition") or "")
        for u, v, attrs in graph.edges(data=True):
            net.add_edge(u, v, title=attrs["relation"])
        html: str = net.generate_html()
        return html

    times = [timed(run) for _ in range(max(1, repeat))]
    return {"warm_s": statistics.median(t for t, _ in times), "bytes": len(times[0][1])}


# Time the page's controls, each until the next frame has been drawn.
SWITCH_TIMES = """async () => {
    const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const out = {};
    for (const [name, id] of [["taxonomy view", "gg-view-taxonomy"],
                              ["top levels", "gg-collapse-all"],
                              ["expand all", "gg-expand-all"],
                              ["everything view", "gg-view-everything"]]) {
        const t = performance.now();
        document.getElementById(id).click();
        await frame();
        out[name] = (performance.now() - t) / 1000;
    }
    return out;
}"""


def _offline(route: Any, external: list[str]) -> None:
    """Let local URLs through; record and abort anything else."""
    if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
        route.continue_()
    else:
        external.append(route.request.url)
        route.abort()


def errors_to(errors: list[str]) -> Callable[[Any], None]:
    """Return a page-error handler that appends to `errors`."""
    return lambda error: errors.append(str(error))


def browser_times(pages: dict[str, str], repeat: int) -> dict[str, dict[str, Any]]:
    """Open each page `repeat` times in Chromium; time drawn and interactive (median)."""
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, html in pages.items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            drawn: list[float] = []
            interactive: list[float] = []
            external: list[str] = []
            switches: dict[str, float] = {}
            errors: list[str] = []
            for _ in range(repeat):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.route("**/*", lambda r, seen=external: _offline(r, seen))
                page.on("pageerror", errors_to(errors))
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function("() => document.body.dataset.ready === '1'", timeout=60_000)
                drawn.append(time.perf_counter() - start)
                # Interactive: click the most connected node; the panel must open.
                x, y, label = page.evaluate(
                    """() => {
                        const g = window.genaiGraph, net = g.network;
                        const deg = new Map();
                        for (const e of g.data.edges) {
                            deg.set(e.from, (deg.get(e.from) || 0) + 1);
                            deg.set(e.to, (deg.get(e.to) || 0) + 1);
                        }
                        let best = g.data.nodes[0].id;
                        for (const [id, d] of deg) { if (d > (deg.get(best) || 0)) best = id; }
                        net.focus(best, {scale: 1.0, animation: false});
                        const dom = net.canvasToDOM(net.getPositions([best])[best]);
                        const box = document.getElementById("gg-network").getBoundingClientRect();
                        const hit = net.getNodeAt(dom);  // the node drawn on top there
                        return [box.left + dom.x, box.top + dom.y, g.data.nodes.find(n => n.id === hit).label];
                    }"""
                )
                page.mouse.click(x, y)
                page.wait_for_selector("#gg-panel", state="visible", timeout=60_000)
                got = page.inner_text("#gg-panel-title")
                assert got == label, (got, label)
                interactive.append(time.perf_counter() - start)
                if not switches:
                    switches.update(page.evaluate(SWITCH_TIMES))
                context.close()
            out[name] = {
                "drawn_s": statistics.median(drawn),
                "interactive_s": statistics.median(interactive),
                "loads": repeat,
                "controls_s": switches,
                "external_requests": len(external),
                "page_errors": errors[:5],
            }
        browser.close()
    return out


def report(results: dict[str, Any]) -> list[str]:
    """Format the results, with ratios to the targets and to pyvis."""
    lines = [
        f"genai-graph views benchmark on {results['machine']}",
        f"one-off imports in a fresh process (networkx, jinja2): {results['imports_s']:.3f} s;"
        " cold = first export after them (reads the vis-network bundle, builds caches)",
        "",
    ]
    for name in ("bundled", "generated"):
        r = results[name]
        target = TARGETS[name]
        lines.append(f"{name}: {r['nodes']} nodes, {r['edges']} edges")
        ex = r["export"]
        verdict = "PASS" if ex["cold_s"] < target["export_s"] else "FAIL"
        lines.append(
            f"  export to_html   cold {ex['cold_s']:.3f} s, warm {ex['warm_s']:.3f} s"
            f"  (target < {target['export_s']} s: cold at {ex['cold_s'] / target['export_s']:.0%}"
            f" of it, {verdict})"
        )
        pv = r["pyvis"]
        lines.append(
            f"  pyvis in_line    warm {pv['warm_s']:.3f} s  (genai-graph warm / pyvis = "
            f"{ex['warm_s'] / pv['warm_s']:.2f}x)"
        )
        lines.append(
            f"  page size        {ex['bytes'] / 1e6:.2f} MB  (pyvis {pv['bytes'] / 1e6:.2f} MB, "
            "which still loads bootstrap from a CDN)"
        )
        b = r.get("browser")
        if b:
            line = (
                f"  chromium         drawn {b['drawn_s']:.2f} s, interactive {b['interactive_s']:.2f} s"
                f" (median of {b['loads']}; {b['external_requests']} external requests,"
                f" {len(b['page_errors'])} page errors)"
            )
            if "interactive_s" in target:
                verdict = "PASS" if b["interactive_s"] < target["interactive_s"] else "FAIL"
                line += (
                    f"  target < {target['interactive_s']} s: at "
                    f"{b['interactive_s'] / target['interactive_s']:.0%} of it, {verdict}"
                )
            lines.append(line)
            if b["controls_s"]:
                lines.append(
                    "  controls         "
                    + ", ".join(f"{k} {v:.2f} s" for k, v in b["controls_s"].items())
                    + " (click to next frame, first load)"
                )
        lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=5000, help="nodes of the generated graph")
    parser.add_argument("--repeat", type=int, default=5, help="repeats of each timing")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {
        "machine": f"{platform.node() or 'host'} ({platform.machine()}, "
        f"{os.cpu_count()} cpus, Python {platform.python_version()})",
        "targets": TARGETS,
    }
    pages: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bundled = genai_graph.load()
        # One-off imports the first page of a process pays; reported apart from the export.
        results["imports_s"], _ = timed(
            lambda: [__import__(m) for m in ("networkx", "jinja2", "markupsafe")]
        )
        # n classes plus n/10 individuals make about --nodes nodes.
        classes = round(args.nodes / 1.1)
        text, _ = taxonomy(classes, seed=1)
        generated = genai_graph.load(write(Path(tmp) / "gen.ttl", text), bundled=False)
        for name, kg in (("bundled", bundled), ("generated", generated)):
            ex = export(kg, args.repeat)
            pages[name] = ex.pop("page")
            graph = kg.to_networkx()
            results[name] = {
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
                "export": ex,
                "pyvis": pyvis_export(kg, min(args.repeat, 3)),
            }
    if not args.no_browser:
        for name, timings in browser_times(pages, args.repeat).items():
            results[name]["browser"] = timings

    text_lines = report(results)
    print("\n".join(text_lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "views.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    (RESULTS / "views.txt").write_text("\n".join(text_lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
