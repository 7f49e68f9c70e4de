"""Real-browser tests of the HTML graph page: offline, interactive, and safe with hostile data.

They drive Debian's /usr/bin/chromium through Playwright (never a downloaded
browser). Without that Chromium the tests are skipped, unless
GENAI_GRAPH_REQUIRE_TOOLS=1 is set (as .ci/run does), in which case they fail.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from genai_graph.views.html import PHYSICS_NODE_LIMIT, render_html

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
READY_TIMEOUT_MS = 10_000
G = "http://example.org/genai#"
XSS = [
    '<img src=x onerror="window.__xss=1">',
    "</script><script>window.__xss=1</script>",
    "\"'&<>",
    "\u2028\u2029",
]


@pytest.fixture(scope="session")
def browser(chromium: Any) -> Any:
    """Return the session's headless Debian Chromium (tests/conftest.py)."""
    return chromium


@dataclass
class Session:
    """A page plus what it tried to fetch and what it complained about."""

    page: Any
    tmp_path: Path
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, graph: nx.MultiDiGraph, **kwargs: Any) -> None:
        """Render `graph`, write it to disk, open its file:// URI and wait until it is ready."""
        path = self.tmp_path / "graph.html"
        path.write_text(render_html(graph, **kwargs), encoding="utf-8")
        self.open_file(path)

    def open_file(self, path: Path) -> None:
        """Open a page from disk and wait until it is ready."""
        self.page.goto(path.as_uri())
        self.page.wait_for_function(
            "() => document.body.dataset.ready === '1'", timeout=READY_TIMEOUT_MS
        )

    def js(self, expression: str, arg: Any = None) -> Any:
        """Evaluate `expression` in the page."""
        return self.page.evaluate(expression, arg)

    def node_point(self, node: str) -> tuple[float, float]:
        """Return the viewport coordinates of `node`'s centre."""
        point = self.js(
            """(id) => {
                const net = window.genaiGraph.network;
                const dom = net.canvasToDOM(net.getPositions([id])[id]);
                const box = document.getElementById("gg-network").getBoundingClientRect();
                return [box.left + dom.x, box.top + dom.y];
            }""",
            node,
        )
        return float(point[0]), float(point[1])

    def assert_clean(self) -> None:
        """No request left the machine and no error was logged."""
        assert self.external == []
        assert self.errors == []


@pytest.fixture
def session(browser: Any, tmp_path: Path) -> Iterator[Session]:
    """Open a fresh 1000x700 page that blocks and records every non-local request."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    s = Session(page=page, tmp_path=tmp_path)

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            s.external.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: s.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: s.errors.append(str(e)))
    page.on("requestfailed", lambda r: s.errors.append(f"failed: {r.url}"))
    yield s
    context.close()


def small_graph() -> nx.MultiDiGraph:
    """Return a tiny graph: a class chain, an individual, a relation and an inferred edge."""
    g = nx.MultiDiGraph()
    nodes = [
        ("AISystem", "AI system", "class", "AI system", "A machine-based system.", []),
        ("GenerativeModel", "Generative model", "class", "AI technology", "Makes content.", []),
        (
            "LargeLanguageModel",
            "Large Language Model",
            "class",
            "AI technology",
            "A language model with very many parameters.",
            ["LLM"],
        ),
        ("Text", "text", "class", "modality", None, []),
        ("GPT4", "GPT-4", "individual", "individual", "A model by OpenAI.", ["gpt4"]),
    ]
    for name, label, kind, category, definition, synonyms in nodes:
        g.add_node(
            G + name,
            label=label,
            kind=kind,
            category=category,
            definition=definition,
            synonyms=synonyms,
            curie="genai:" + name,
        )
    edges = [
        ("LargeLanguageModel", "GenerativeModel", "is a", "subclass", True),
        ("GenerativeModel", "AISystem", "is a", "subclass", True),
        ("GPT4", "LargeLanguageModel", "instance of", "type", True),
        ("LargeLanguageModel", "Text", "generates", "relation", True),
        ("GPT4", "GenerativeModel", "instance of", "type", False),
    ]
    for u, v, relation, kind, stated in edges:
        g.add_edge(
            G + u, G + v, relation=relation, predicate=G + relation, kind=kind, stated=stated
        )
    return g


def hostile_graph() -> nx.MultiDiGraph:
    """Return a graph with hostile strings in every node and edge field."""
    g = nx.MultiDiGraph()
    for i, text in enumerate(XSS):
        g.add_node(
            f"{text}#{i}",
            label=f"{text} {i}",
            kind="individual" if i % 2 else "class",
            category=text,
            definition=f"def {text}",
            synonyms=[text, f"syn{i} {text}"],
            curie=f"x:{text}",
            sources=[text, "https://example.org/" + text, "javascript:window.__xss=1"],
        )
    keys = list(g.nodes)
    for i, (u, v) in enumerate(itertools.pairwise(keys)):
        g.add_edge(u, v, relation=XSS[i], predicate=XSS[i], kind="relation", stated=bool(i % 2))
    return g


def test_page_loads_offline_without_errors(session: Session) -> None:
    """The page loads with zero external requests and zero console or page errors."""
    session.open(small_graph(), title="GenAI <test>")
    session.assert_clean()
    assert session.page.title() == "GenAI <test>"
    assert session.page.inner_text("h1") == "GenAI <test>"
    legend = session.page.inner_text("#gg-legend")
    for text in ("AI technology", "modality", "individual", "is a", "inferred"):
        assert text in legend
    assert session.js("document.querySelectorAll('#gg-names option').length") == 7


def test_counts_match_the_graph(session: Session) -> None:
    """The DataSets and the drawn network hold exactly the graph's nodes and edges."""
    g = small_graph()
    session.open(g)
    counts = session.js(
        """() => [genaiGraph.nodes.length, genaiGraph.edges.length,
                  genaiGraph.network.body.nodeIndices.length]"""
    )
    assert counts == [g.number_of_nodes(), g.number_of_edges(), g.number_of_nodes()]
    assert session.js("genaiGraph.edges.get().filter(e => e.dashes).length") == 1
    session.assert_clean()


def test_physics_stops_after_stabilisation(session: Session) -> None:
    """Once ready, the layout is frozen so the page does not keep spinning."""
    session.open(small_graph())
    assert session.js("genaiGraph.network.physics.physicsEnabled") is False
    assert session.js("genaiGraph.network.physics.options.enabled") is False
    session.assert_clean()


def test_search_selects_node_by_synonym(session: Session) -> None:
    """Typing a synonym and pressing Enter selects that node and opens its panel."""
    session.open(small_graph())
    box = session.page.locator("#gg-search-input")
    box.press_sequentially("LLM")
    box.press("Enter")
    assert session.js("genaiGraph.network.getSelectedNodes()") == [G + "LargeLanguageModel"]
    assert session.page.is_visible("#gg-panel")
    assert session.page.inner_text("#gg-panel-title") == "Large Language Model"
    box.fill("no such thing")
    box.press("Enter")
    assert session.page.inner_text("#gg-search-status") == "No match"
    session.assert_clean()


def test_click_node_opens_panel(session: Session, tmp_path: Path) -> None:
    """Clicking a node shows its definition, synonyms, CURIE and is-a chain in the side panel."""
    session.open(small_graph())
    assert not session.page.is_visible("#gg-panel")
    session.page.mouse.click(*session.node_point(G + "GPT4"))
    session.page.wait_for_selector("#gg-panel", state="visible")
    assert session.page.inner_text("#gg-panel-title") == "GPT-4"
    assert session.page.inner_text("#gg-panel-definition") == "A model by OpenAI."
    assert session.page.inner_text("#gg-panel-synonyms") == "gpt4"
    assert session.page.inner_text("#gg-panel-curie") == "genai:GPT4"
    assert session.page.inner_text("#gg-panel-iri") == G + "GPT4"
    chain = session.page.locator("#gg-panel-chain button").all_inner_texts()
    assert chain == ["GPT-4", "Large Language Model", "Generative model", "AI system"]
    session.page.screenshot(path=str(tmp_path / "panel.png"))
    assert (tmp_path / "panel.png").stat().st_size > 0
    session.page.click("#gg-panel-close")
    assert not session.page.is_visible("#gg-panel")
    session.assert_clean()


def test_focus_and_highlight_on_load(session: Session) -> None:
    """The focus node is selected on load and the highlighted path is emphasised."""
    path = [(G + "GPT4", G + "LargeLanguageModel"), (G + "LargeLanguageModel", G + "Text")]
    session.open(small_graph(), focus=G + "Text", highlight=path)
    assert session.js("genaiGraph.network.getSelectedNodes()") == [G + "Text"]
    assert session.page.inner_text("#gg-panel-title") == "text"
    widths = session.js(
        "Object.fromEntries(genaiGraph.edges.get().map(e => [e.from + ' ' + e.to, e.width]))"
    )
    assert widths[f"{G}GPT4 {G}LargeLanguageModel"] > widths[f"{G}GenerativeModel {G}AISystem"]
    assert widths[f"{G}LargeLanguageModel {G}Text"] > widths[f"{G}GenerativeModel {G}AISystem"]
    session.assert_clean()


def test_hostile_strings_do_not_run(session: Session, tmp_path: Path) -> None:
    """With hostile strings everywhere, no script runs on load, hover, search or panel."""
    g = hostile_graph()
    session.open(g, title=XSS[0] + XSS[1])
    assert session.js("window.__xss") is None
    assert session.page.title() == XSS[0] + XSS[1]
    for node in g.nodes:
        session.page.mouse.move(*session.node_point(node))
        session.page.wait_for_timeout(200)
        assert session.js("window.__xss") is None
    assert session.page.is_visible("div.vis-tooltip")
    for node, attrs in g.nodes(data=True):
        session.page.mouse.click(*session.node_point(node))
        session.page.wait_for_timeout(50)
        assert session.page.inner_text("#gg-panel-iri") == node
        title = session.js("document.getElementById('gg-panel-title').textContent")
        assert title == attrs["label"]
        assert session.js("window.__xss") is None
        session.page.keyboard.press("Escape")
    box = session.page.locator("#gg-search-input")
    box.fill(XSS[1])
    box.press("Enter")
    assert session.js("window.__xss") is None
    assert session.js("document.querySelectorAll('img').length") == 0
    session.page.screenshot(path=str(tmp_path / "hostile.png"))
    session.assert_clean()


def large_graph(n: int = 1500) -> nx.MultiDiGraph:
    """Return an n-node is-a tree (fan-out 5) with some relations and a synonym per node."""
    g = nx.MultiDiGraph()
    categories = ["AI system", "AI technology", "application", "modality"]
    for i in range(n):
        g.add_node(
            f"urn:n{i}",
            label=f"Concept {i}",
            kind="individual" if i % 10 == 9 else "class",
            category=categories[i % len(categories)],
            definition=f"Definition {i}.",
            synonyms=[f"c{i}"],
        )
        if i:
            g.add_edge(f"urn:n{i}", f"urn:n{(i - 1) // 5}", relation="is a", kind="subclass")
        if i > 10 and i % 7 == 0:
            g.add_edge(f"urn:n{i}", f"urn:n{i // 3}", relation="uses", kind="relation")
    return g


def test_large_graph_does_not_hang(session: Session, tmp_path: Path) -> None:
    """A 1,500-node graph loads and becomes ready (no physics) within the timeout."""
    n = 1500
    assert n > PHYSICS_NODE_LIMIT
    g = large_graph(n)
    session.open(g, title="Big graph")
    counts = session.js(
        """() => [genaiGraph.nodes.length, genaiGraph.edges.length,
                  genaiGraph.network.body.nodeIndices.length,
                  genaiGraph.network.physics.physicsEnabled]"""
    )
    assert counts == [n, g.number_of_edges(), n, False]
    box = session.page.locator("#gg-search-input")
    box.press_sequentially("c1234")
    box.press("Enter")
    assert session.js("genaiGraph.network.getSelectedNodes()") == ["urn:n1234"]
    session.page.screenshot(path=str(tmp_path / "large.png"))
    assert (tmp_path / "large.png").stat().st_size > 0
    session.assert_clean()


def test_empty_graph_loads(session: Session) -> None:
    """An empty graph still loads, becomes ready and says it is empty."""
    session.open(nx.MultiDiGraph())
    assert session.js("genaiGraph.nodes.length") == 0
    assert "empty" in session.page.inner_text("#gg-loading")
    session.assert_clean()


def test_screenshot(session: Session, tmp_path: Path) -> None:
    """The small graph renders to a non-blank screenshot at 1000x700."""
    session.open(small_graph(), title="GenAI knowledge graph")
    shot = tmp_path / "graph.png"
    session.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 5_000
    session.assert_clean()


def test_bundled_map_from_the_cli(session: Session, tmp_path: Path) -> None:
    """`genai-graph viz` writes a map of the bundled ontology that draws every node and edge offline."""
    from genai_graph import load
    from genai_graph.cli import main

    page = tmp_path / "genai-map.html"
    assert main(["viz", "-o", str(page)]) == 0
    session.open_file(page)
    expected = load().to_networkx()
    assert session.js("() => window.genaiGraph.nodes.length") == expected.number_of_nodes()
    assert session.js("() => window.genaiGraph.edges.length") == expected.number_of_edges()
    assert (
        session.js("() => window.genaiGraph.network.body.nodeIndices.length")
        == expected.number_of_nodes()
    )
    session.assert_clean()
    artifacts = Path(os.environ.get("GENAI_GRAPH_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    shot = artifacts / "genai-map.png"
    session.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    # The real data in the panel: definition, source link and an is-a chain to a root.
    llm = next(n for n, d in expected.nodes(data=True) if "LLM" in d["synonyms"])
    attrs = expected.nodes[llm]
    search = session.page.locator("#gg-search-input")
    search.fill("LLM")
    search.press("Enter")
    assert session.page.inner_text("#gg-panel-title") == attrs["label"]
    assert session.page.inner_text("#gg-panel-definition") == attrs["definition"]
    links = session.page.locator("#gg-panel-sources a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == attrs["sources"]
    chain = session.page.locator("#gg-panel-chain button").all_inner_texts()
    assert chain[0] == attrs["label"] and len(chain) >= 2
    roots = {d["label"] for n, d in expected.nodes(data=True) if not _isa_parents(expected, n)}
    assert chain[-1] in roots
    session.page.screenshot(path=str(artifacts / "genai-map-panel.png"))

    # Many relations: their filters fold behind a button; each hides its edges.
    more = session.page.locator(".gg-legend-more")
    assert more.inner_text().startswith("show all")
    developed = filter_box(session, "Relations", "developed by")
    assert not developed.is_visible()
    more.click()
    before = drawn(session)[1]
    developed.uncheck()
    n = sum(d["relation"] == "developed by" for *_, d in expected.edges(data=True))
    assert n > 0
    assert drawn(session)[1] == before - n
    developed.check()
    assert drawn(session)[1] == before

    # The taxonomy view of the whole map, opened at its top levels.
    session.page.click("#gg-view-taxonomy")
    session.page.click("#gg-collapse-all")
    nodes, edges = drawn(session)
    assert 0 < nodes < expected.number_of_nodes()
    assert 0 < edges < expected.number_of_edges()
    kinds = session.js("genaiGraph.edges.get().filter(e => !e.hidden).map(e => e.kind)")
    assert "relation" not in kinds
    session.page.screenshot(path=str(artifacts / "genai-map-taxonomy.png"))
    session.assert_clean()


def _isa_parents(graph: nx.MultiDiGraph, node: str) -> list[str]:
    """Return the is-a (subclass or instance-of) parents of `node`."""
    return [v for _, v, d in graph.out_edges(node, data=True) if d["kind"] != "relation"]


def family_graph() -> nx.MultiDiGraph:
    """Return a small is-a tree with two branches, an individual, relations and sources.

    AI system <- Generative model <- Large Language Model <- GPT-4 (instance of)
              |                   <- Diffusion model
              <- Discriminative model
    GPT-4 is also (inferred) an instance of Generative model; LLM and Diffusion model generate text.
    """
    g = nx.MultiDiGraph()
    nodes = [
        ("AISystem", "AI system", "class", "AI system", "A machine-based system."),
        ("GenerativeModel", "Generative model", "class", "AI technology", "Makes content."),
        ("DiscriminativeModel", "Discriminative model", "class", "AI technology", "Tells apart."),
        ("LargeLanguageModel", "Large Language Model", "class", "AI technology", "Big LM."),
        ("DiffusionModel", "Diffusion model", "class", "AI technology", "Denoises."),
        ("GPT4", "GPT-4", "individual", "individual", "A model by OpenAI."),
        ("Text", "text", "class", "modality", None),
    ]
    for name, label, kind, category, definition in nodes:
        g.add_node(
            G + name,
            label=label,
            kind=kind,
            category=category,
            definition=definition,
            synonyms=[],
            curie="genai:" + name,
        )
    g.nodes[G + "AISystem"]["sources"] = ["https://example.org/ai", "A book, p. 3"]
    edges = [
        ("GenerativeModel", "AISystem", "is a", "subclass", True),
        ("DiscriminativeModel", "AISystem", "is a", "subclass", True),
        ("LargeLanguageModel", "GenerativeModel", "is a", "subclass", True),
        ("DiffusionModel", "GenerativeModel", "is a", "subclass", True),
        ("GPT4", "LargeLanguageModel", "instance of", "type", True),
        ("GPT4", "GenerativeModel", "instance of", "type", False),
        ("LargeLanguageModel", "Text", "generates", "relation", True),
        ("DiffusionModel", "Text", "generates", "relation", True),
    ]
    for u, v, relation, kind, stated in edges:
        g.add_edge(
            G + u, G + v, relation=relation, predicate=G + relation, kind=kind, stated=stated
        )
    return g


def drawn(session: Session) -> list[int]:
    """Return the numbers of nodes and edges vis-network draws now."""
    counts: list[int] = session.js(
        """() => [genaiGraph.network.body.nodeIndices.length,
                  genaiGraph.network.body.edgeIndices.length]"""
    )
    return counts


def filter_box(session: Session, group: str, name: str) -> Any:
    """Return the legend checkbox filtering `name` in the legend group `group`."""
    item = session.page.locator(".gg-legend-group", has_text=group).locator(
        "label.gg-filter", has=session.page.get_by_text(name, exact=True)
    )
    return item.locator("input")


def test_panel_shows_sources_and_chain(session: Session) -> None:
    """The panel lists sources (web addresses as links, other text as text) and the is-a chain."""
    session.open(family_graph())
    session.page.mouse.click(*session.node_point(G + "AISystem"))
    session.page.wait_for_selector("#gg-panel", state="visible")
    assert session.page.inner_text("#gg-panel-definition") == "A machine-based system."
    items = session.page.locator("#gg-panel-sources li").all_inner_texts()
    assert items == ["https://example.org/ai", "A book, p. 3"]
    links = session.page.locator("#gg-panel-sources a")
    assert links.count() == 1
    assert links.get_attribute("href") == "https://example.org/ai"
    assert links.get_attribute("rel") == "noopener noreferrer"
    session.page.mouse.click(*session.node_point(G + "GPT4"))
    session.page.wait_for_timeout(50)
    assert session.page.inner_text("#gg-panel-title") == "GPT-4"
    assert not session.page.is_visible("#gg-panel-sources-section")
    chain = session.page.locator("#gg-panel-chain button").all_inner_texts()
    assert chain == ["GPT-4", "Large Language Model", "Generative model", "AI system"]
    session.assert_clean()


def test_filters_hide_nodes_and_edges(session: Session) -> None:
    """Unticking a category hides its nodes (and their edges); unticking a relation its edges."""
    g = family_graph()
    session.open(g)
    assert drawn(session) == [7, 8]
    filter_box(session, "Categories", "modality").uncheck()
    assert drawn(session) == [6, 6]
    assert "6 of 7 nodes" in session.page.inner_text("#gg-stats")
    filter_box(session, "Categories", "AI technology").uncheck()
    assert drawn(session) == [2, 0]
    filter_box(session, "Categories", "modality").check()
    filter_box(session, "Categories", "AI technology").check()
    assert drawn(session) == [7, 8]
    filter_box(session, "Relations", "generates").uncheck()
    assert drawn(session) == [7, 6]
    filter_box(session, "Relations", "is a").uncheck()
    assert drawn(session) == [7, 2]
    hidden = session.js("genaiGraph.edges.get().filter(e => e.hidden).map(e => e.kind).sort()")
    assert hidden == ["relation", "relation", "subclass", "subclass", "subclass", "subclass"]
    session.assert_clean()


def test_search_reveals_a_filtered_node(session: Session) -> None:
    """Searching for a node hidden by a filter turns its category back on and selects it."""
    session.open(family_graph())
    box = filter_box(session, "Categories", "modality")
    box.uncheck()
    search = session.page.locator("#gg-search-input")
    search.fill("text")
    search.press("Enter")
    assert box.is_checked()
    assert drawn(session) == [7, 8]
    assert session.js("genaiGraph.network.getSelectedNodes()") == [G + "Text"]
    session.assert_clean()


def test_view_switch(session: Session) -> None:
    """The taxonomy view keeps is-a edges only, laid out left to right; everything restores."""
    g = family_graph()
    session.open(g)
    before = session.js("genaiGraph.network.getPositions()")
    session.page.click("#gg-view-taxonomy")
    assert session.js("document.body.dataset.view") == "taxonomy"
    assert session.page.get_attribute("#gg-view-taxonomy", "aria-pressed") == "true"
    taxonomy = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] != "relation"]
    assert drawn(session) == [7, len(taxonomy)]
    at = session.js("genaiGraph.network.getPositions()")
    for u, v, d in g.edges(data=True):
        if d["kind"] == "subclass":
            assert at[u]["x"] > at[v]["x"], (u, v)
    session.page.click("#gg-view-everything")
    assert session.js("document.body.dataset.view") == "everything"
    assert drawn(session) == [7, 8]
    after = session.js("genaiGraph.network.getPositions()")
    for node in g.nodes:
        # vis-network keeps positions it is given as integers: allow rounding
        assert math.isclose(after[node]["x"], before[node]["x"], abs_tol=1.0)
        assert math.isclose(after[node]["y"], before[node]["y"], abs_tol=1.0)
    session.assert_clean()


def test_collapse_and_expand_a_subtree(session: Session) -> None:
    """Double-clicking a node folds its is-a subtree away and opens it again."""
    session.open(family_graph())
    session.page.mouse.dblclick(*session.node_point(G + "GenerativeModel"))
    session.page.wait_for_timeout(100)
    # LLM, Diffusion model and GPT-4 go; text stays (a root of its own).
    assert drawn(session) == [4, 2]
    label = session.js(f"genaiGraph.nodes.get('{G}GenerativeModel').label")
    assert label == "Generative model (+3)"
    assert "collapsed" in session.page.inner_text("#gg-note")
    session.page.mouse.dblclick(*session.node_point(G + "GenerativeModel"))
    session.page.wait_for_timeout(100)
    assert drawn(session) == [7, 8]
    assert session.js(f"genaiGraph.nodes.get('{G}GenerativeModel').label") == "Generative model"
    # The panel's button and the toolbar do the same.
    session.page.mouse.click(*session.node_point(G + "AISystem"))
    assert session.page.inner_text("#gg-panel-subtree") == "Collapse subtree"
    session.page.click("#gg-panel-subtree")
    assert drawn(session) == [2, 0]
    assert session.page.inner_text("#gg-panel-subtree") == "Expand subtree (2)"
    session.page.click("#gg-expand-all")
    assert drawn(session) == [7, 8]
    session.page.click("#gg-collapse-all")  # two top levels: AI system and its children, text
    assert drawn(session) == [4, 2]
    search = session.page.locator("#gg-search-input")
    search.fill("GPT-4")
    search.press("Enter")
    assert session.js("genaiGraph.network.getSelectedNodes()") == [G + "GPT4"]
    assert drawn(session)[0] >= 6
    session.assert_clean()


def test_lowest_common_ancestor_pick(session: Session) -> None:
    """Picking two nodes shows their lowest common ancestor and highlights both paths."""
    session.open(family_graph())
    session.page.mouse.click(*session.node_point(G + "GPT4"))
    session.page.click("#gg-panel-compare")
    assert "second node" in session.page.inner_text("#gg-note")
    session.page.mouse.click(*session.node_point(G + "DiscriminativeModel"))
    session.page.wait_for_selector("#gg-panel-lca-section", state="visible")
    assert session.page.inner_text("#gg-panel-title") == "Discriminative model"
    assert session.page.inner_text("#gg-panel-lca") == "AI system"
    a = session.page.locator("#gg-panel-lca-a button").all_inner_texts()
    b = session.page.locator("#gg-panel-lca-b button").all_inner_texts()
    assert a[0] == "GPT-4" and a[-1] == "AI system" and len(a) == 3
    assert b == ["Discriminative model", "AI system"]
    wide = session.js(
        "genaiGraph.edges.get().filter(e => e.width === 5).map(e => [e.from, e.to, e.color.color])"
    )
    assert len(wide) == 3
    assert {(u, v) for u, v, _ in wide} >= {
        (G + "DiscriminativeModel", G + "AISystem"),
        (G + "GenerativeModel", G + "AISystem"),
    }
    assert {c for _, _, c in wide} == {"#e11d48"}
    assert session.js(
        f"genaiGraph.lowestCommonAncestor('{G}LargeLanguageModel', '{G}DiffusionModel').ancestor"
    ) == (G + "GenerativeModel")
    session.page.keyboard.press("Escape")
    assert session.js("genaiGraph.edges.get().filter(e => e.width === 5).length") == 0
    session.assert_clean()


def test_large_graph_opens_at_top_levels(session: Session) -> None:
    """With levels=2 a large graph opens small, says so, and opens fully on demand."""
    n = 1500
    session.open(large_graph(n), levels=2)
    assert drawn(session)[0] == 6  # the root and its five children
    note = session.page.inner_text("#gg-note")
    assert "Large graph" in note and "focus" in note
    search = session.page.locator("#gg-search-input")
    search.fill("c1234")
    search.press("Enter")
    assert session.js("genaiGraph.network.getSelectedNodes()") == ["urn:n1234"]
    session.page.click("#gg-expand-all")
    assert drawn(session)[0] == n
    session.assert_clean()


def test_hostile_strings_survive_every_control(session: Session) -> None:
    """Filters, the views, collapsing and a common-ancestor pick run no script from the data."""
    g = hostile_graph()
    keys = list(g.nodes)
    g.add_edge(keys[1], keys[0], relation=XSS[0], kind="subclass")
    session.open(g, title=XSS[0])
    boxes = session.page.locator("#gg-legend input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    assert drawn(session) == [0, 0]
    for i in range(boxes.count()):
        boxes.nth(i).check()
    session.page.click("#gg-view-taxonomy")
    session.page.click("#gg-collapse-all")
    session.page.click("#gg-expand-all")
    session.page.click("#gg-view-everything")
    first, second = keys[1], keys[2]
    session.page.mouse.click(*session.node_point(first))
    assert session.page.locator("#gg-panel-sources a").count() == 1  # only the https one
    session.page.click("#gg-panel-compare")
    session.page.mouse.click(*session.node_point(second))
    session.page.mouse.dblclick(*session.node_point(keys[0]))
    for node in g.nodes:
        if session.js(f"genaiGraph.network.body.nodeIndices.includes({node!r})"):
            session.page.mouse.move(*session.node_point(node))
            session.page.wait_for_timeout(100)
    assert session.js("window.__xss") is None
    assert session.js("document.querySelectorAll('img, iframe, object').length") == 0
    assert session.js("document.querySelectorAll('a[href^=javascript]').length") == 0
    session.assert_clean()
