"""String-level tests of the offline HTML graph page (genai_graph.views.html)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import math
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import genai_graph
from genai_graph.views.html import PHYSICS_NODE_LIMIT, render_html

G = "http://example.org/genai#"

HOSTILE = [
    '<img src=x onerror="window.__xss=1">',
    "</script><script>window.__xss=1</script>",
    "\"'&<>",
    "line\u2028separator\u2029paragraph",
]
FIELDS = [
    "label",
    "definition",
    "synonyms",
    "iri",
    "relation",
    "category",
    "title",
    "curie",
    "sources",
]


def small_graph() -> nx.MultiDiGraph:
    """Return a tiny graph: a class chain, an individual, a relation and an inferred edge."""
    g = nx.MultiDiGraph()
    g.add_node(
        G + "AISystem",
        label="AI system",
        kind="class",
        category="AI system",
        definition="A machine-based system that infers outputs from inputs.",
        synonyms=["artificial intelligence system"],
        curie="genai:AISystem",
    )
    g.add_node(
        G + "GenerativeModel",
        label="Generative model",
        kind="class",
        category="AI technology",
        definition="A model that generates new content.",
        synonyms=[],
        curie="genai:GenerativeModel",
    )
    g.add_node(
        G + "LargeLanguageModel",
        label="Large Language Model",
        kind="class",
        category="AI technology",
        definition="A language model with very many parameters.",
        synonyms=["LLM"],
        curie="genai:LargeLanguageModel",
    )
    g.add_node(
        G + "Text",
        label="text",
        kind="class",
        category="modality",
        definition=None,
        synonyms=[],
        curie="genai:Text",
    )
    g.add_node(
        G + "GPT4",
        label="GPT-4",
        kind="individual",
        category="individual",
        definition="A large multimodal model by OpenAI.",
        synonyms=["gpt4"],
        curie="genai:GPT4",
    )
    sub = {"relation": "is a", "predicate": "http://www.w3.org/2000/01/rdf-schema#subClassOf"}
    g.add_edge(G + "LargeLanguageModel", G + "GenerativeModel", kind="subclass", stated=True, **sub)
    g.add_edge(G + "GenerativeModel", G + "AISystem", kind="subclass", stated=True, **sub)
    g.add_edge(
        G + "GPT4",
        G + "LargeLanguageModel",
        relation="instance of",
        predicate="http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        kind="type",
        stated=True,
    )
    g.add_edge(
        G + "LargeLanguageModel",
        G + "Text",
        relation="generates",
        predicate=G + "generates",
        kind="relation",
        stated=True,
    )
    g.add_edge(
        G + "GPT4",
        G + "GenerativeModel",
        relation="instance of",
        predicate="http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        kind="type",
        stated=False,
    )
    return g


def hostile_graph(field: str, text: str) -> tuple[nx.MultiDiGraph, str]:
    """Return the small graph with `text` in `field`, and the title to render it with."""
    g = small_graph()
    title = "genai-graph"
    node = G + "LargeLanguageModel"
    if field == "iri":
        g = nx.relabel_nodes(g, {node: text}, copy=True)
    elif field == "synonyms":
        g.nodes[node]["synonyms"] = [text, "x" + text]
    elif field == "relation":
        for _, _, data in g.edges(data=True):
            data["relation"] = text
    elif field == "title":
        title = text
    else:
        g.nodes[node][field] = text
    return g, title


def graph_data(html: str) -> dict[str, Any]:
    """Return the parsed JSON of the page's graph-data element."""
    match = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.DOTALL
    )
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


class _Tags(HTMLParser):
    """Collect start tags with their attributes, and the raw text of each script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> _Tags:
    """Return the tags and scripts of `html`."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page() -> str:
    """Render the small graph once for the module."""
    return render_html(small_graph(), title="GenAI test graph")


def test_returns_an_html_document(page: str) -> None:
    """The result is one complete HTML document."""
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert page.count("<html") == 1


def test_every_label_is_in_the_data(page: str) -> None:
    """Every node label appears in the embedded JSON data."""
    labels = {n["label"] for n in graph_data(page)["nodes"]}
    assert labels == {d["label"] for _, d in small_graph().nodes(data=True)}


def test_data_round_trips(page: str) -> None:
    """The JSON data parses back to the graph's nodes, attributes and edges."""
    g = small_graph()
    data = graph_data(page)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert set(by_id) == set(g.nodes)
    for key, attrs in g.nodes(data=True):
        node = by_id[key]
        assert node["label"] == attrs["label"]
        assert node["kind"] == attrs["kind"]
        assert node["category"] == attrs["category"]
        assert node["definition"] == attrs["definition"]
        assert node["synonyms"] == attrs["synonyms"]
        assert node["curie"] == attrs["curie"]
    got = sorted((e["from"], e["to"], e["relation"], e["stated"]) for e in data["edges"])
    want = sorted((u, v, d["relation"], d["stated"]) for u, v, d in g.edges(data=True))
    assert got == want
    assert data["title"] == "GenAI test graph"


def test_inferred_edges_are_flagged(page: str) -> None:
    """Only the inferred edge is marked not stated, and the legend shows a dashed style."""
    data = graph_data(page)
    inferred = [e for e in data["edges"] if not e["stated"]]
    assert [(e["from"], e["to"]) for e in inferred] == [(G + "GPT4", G + "GenerativeModel")]
    styles = {e["key"]: e["style"] for e in data["legend"]["edges"]}
    assert styles["inferred"] == "dashed"
    assert styles["stated"] == "solid"


def test_category_legend_counts(page: str) -> None:
    """The legend lists each category present with its node count and a colour."""
    legend = graph_data(page)["legend"]
    counts = {c["name"]: c["count"] for c in legend["categories"]}
    assert counts == {"AI system": 1, "AI technology": 2, "modality": 1, "individual": 1}
    colours = [c["color"] for c in legend["categories"]]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    assert len(set(colours)) == len(colours)
    assert {s["name"]: s["count"] for s in legend["shapes"]} == {"class": 4, "individual": 1}


@pytest.mark.parametrize(
    "pattern",
    [
        r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""",
        r"@import",
        r"""url\(\s*["']?\s*(?:https?:)?//""",
        r"<link\b",
        r"<script\b[^>]*\bsrc\s*=",
    ],
)
def test_no_remote_references(page: str, pattern: str) -> None:
    """Nothing in the page points at the network (IRIs in the JSON data are fine)."""
    assert re.search(pattern, page, re.IGNORECASE) is None


def test_no_remote_attributes_in_parsed_tags(page: str) -> None:
    """No parsed element has a src or href attribute at all."""
    for tag, attrs in parse(page).tags:
        assert "src" not in attrs, tag
        assert "href" not in attrs, tag


def test_content_security_policy_allows_only_inline_scripts(page: str) -> None:
    """The CSP meta forbids network access and hashes exactly the page's two scripts."""
    parsed = parse(page)
    metas = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert len(metas) == 1
    csp = metas[0]["content"] or ""
    assert "default-src 'none'" in csp
    assert "http" not in csp
    hashes = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", csp))
    executable = [
        text
        for (tag, attrs), text in zip(
            [(t, a) for t, a in parsed.tags if t == "script"], parsed.scripts, strict=True
        )
        if attrs.get("type") is None
    ]
    assert len(executable) == 2
    digests = {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in executable}
    assert digests == hashes


def test_page_is_ascii() -> None:
    """Non-ASCII text is escaped, so the page does not depend on its file encoding."""
    g = small_graph()
    g.nodes[G + "GPT4"]["label"] = "GPT-4 \u00e9\u4e2d\U0001f600"
    html = render_html(g, title="Gr\u00e4ph \u2014 \U0001f600")
    assert html.isascii()
    assert "<title>Gr&#228;ph &#8212; &#128512;</title>" in html
    labels = {n["label"] for n in graph_data(html)["nodes"]}
    assert "GPT-4 \u00e9\u4e2d\U0001f600" in labels


def test_title_is_escaped() -> None:
    """The title is HTML-escaped in <title> and in the heading."""
    html = render_html(small_graph(), title='A & B <i>"x"</i>')
    assert "<title>A &amp; B &lt;i&gt;&#34;x&#34;&lt;/i&gt;</title>" in html
    assert ">A &amp; B &lt;i&gt;&#34;x&#34;&lt;/i&gt;</h1>" in html
    assert 'A & B <i>"x"</i>' not in html
    assert graph_data(html)["title"] == 'A & B <i>"x"</i>'


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("field", FIELDS)
def test_hostile_strings_are_escaped(field: str, text: str) -> None:
    """A hostile string in any field never appears unescaped and creates no element."""
    g, title = hostile_graph(field, text)
    html = render_html(g, title=title)
    assert text not in html
    for fragment in ("<img", "</script><script>", "<>", "\u2028", "\u2029"):
        assert fragment not in html
    parsed = parse(html)
    assert [t for t, _ in parsed.tags if t == "script"] == ["script"] * 3
    assert not any(t == "img" for t, _ in parsed.tags)
    # ...and the data still carries the string exactly.
    data = graph_data(html)
    found = json.dumps(data, ensure_ascii=False)
    assert json.dumps(text, ensure_ascii=False)[1:-1] in found


def test_does_not_mutate_the_graph() -> None:
    """render_html leaves the input graph exactly as it was."""
    g = small_graph()
    before_nodes = copy.deepcopy(dict(g.nodes(data=True)))
    before_edges = copy.deepcopy(list(g.edges(keys=True, data=True)))
    before_graph = copy.deepcopy(g.graph)
    render_html(g, title="x", highlight=[(G + "GPT4", G + "LargeLanguageModel")], focus=G + "Text")
    assert dict(g.nodes(data=True)) == before_nodes
    assert list(g.edges(keys=True, data=True)) == before_edges
    assert g.graph == before_graph


def test_is_deterministic() -> None:
    """The same graph renders to the same page."""
    assert render_html(small_graph()) == render_html(small_graph())


def test_missing_attributes_fall_back_to_the_key() -> None:
    """A bare node gets its key as label and CURIE; a bare edge gets a readable relation."""
    g = nx.MultiDiGraph()
    g.add_edge("urn:x:child", "urn:x:parent", kind="subclass")
    g.add_edge("urn:x:child", "urn:x:parent", predicate=G + "dependsOn")
    g.add_edge("urn:x:child", "urn:x:parent")
    data = graph_data(render_html(g))
    node = next(n for n in data["nodes"] if n["id"] == "urn:x:child")
    assert node["label"] == node["curie"] == "urn:x:child"
    assert node["kind"] == "class"
    assert node["synonyms"] == []
    assert node["definition"] is None
    assert [e["relation"] for e in data["edges"]] == ["is a", "dependsOn", "related to"]
    assert all(e["stated"] for e in data["edges"])
    assert [e["curve"] for e in data["edges"]] == [0, 1, 2]


def test_non_string_keys_and_synonyms() -> None:
    """Non-string node keys and a single-string synonym are handled."""
    g = nx.MultiDiGraph()
    g.add_node(1, label="one", synonyms="uno")
    g.add_node(2, synonyms=("dos", "dos", "deux"))
    g.add_edge(1, 2, relation="next", kind="relation")
    data = graph_data(render_html(g))
    assert [(n["id"], n["label"], n["synonyms"]) for n in data["nodes"]] == [
        ("1", "one", ["uno"]),
        ("2", "2", ["dos", "deux"]),
    ]
    assert (data["edges"][0]["from"], data["edges"][0]["to"]) == ("1", "2")


def test_highlight_marks_edges_and_nodes() -> None:
    """Highlighted pairs emphasise their edges (either way) and nodes; unknown pairs are ignored."""
    path = [
        (G + "GPT4", G + "LargeLanguageModel"),
        (G + "GenerativeModel", G + "LargeLanguageModel"),
    ]
    data = graph_data(render_html(small_graph(), highlight=[*path, ("urn:nope", G + "Text")]))
    on_path = {(e["from"], e["to"]) for e in data["edges"] if e["highlight"]}
    assert on_path == {
        (G + "GPT4", G + "LargeLanguageModel"),
        (G + "LargeLanguageModel", G + "GenerativeModel"),
    }
    nodes = {n["id"] for n in data["nodes"] if n["highlight"]}
    assert nodes == {G + "GPT4", G + "LargeLanguageModel", G + "GenerativeModel"}
    assert {e["key"] for e in data["legend"]["edges"]} >= {"path"}


@pytest.mark.parametrize(
    ("focus", "expected"),
    [(G + "Text", G + "Text"), ("urn:not-a-node", None), (None, None)],
)
def test_focus(focus: str | None, expected: str | None) -> None:
    """The focus node is passed to the page; an unknown focus is ignored."""
    assert graph_data(render_html(small_graph(), focus=focus))["focus"] == expected


def test_small_graph_uses_physics(page: str) -> None:
    """Graphs up to the limit are laid out by physics, without fixed positions."""
    data = graph_data(page)
    assert data["layout"]["physics"] is True
    assert all("x" not in n for n in data["nodes"])


def test_large_graph_gets_a_precomputed_layout() -> None:
    """Above the node limit, physics is off and every node has its own position."""
    g = nx.MultiDiGraph()
    n = PHYSICS_NODE_LIMIT + 200
    for i in range(n):
        g.add_node(f"urn:n{i}", label=f"node {i}", kind="class", category="AI technology")
        if i:
            g.add_edge(f"urn:n{i}", f"urn:n{(i - 1) // 4}", relation="is a", kind="subclass")
    g.add_node("urn:loner", label="loner")
    g.add_edge("urn:c1", "urn:c2", kind="subclass")
    g.add_edge("urn:c2", "urn:c1", kind="subclass")
    data = graph_data(render_html(g))
    assert data["layout"]["physics"] is False
    assert data["layout"]["nodeLimit"] == PHYSICS_NODE_LIMIT
    assert data["layout"]["levels"] == 0  # below COLLAPSE_NODE_LIMIT: everything is drawn
    points = [(node["x"], node["y"]) for node in data["nodes"]]
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in points)
    assert min_distance(points) > 60


def min_distance(points: list[tuple[float, float]]) -> float:
    """Return the smallest distance between two of `points` (grid buckets, not all pairs)."""
    cell = 100.0
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    best = math.inf
    for x, y in points:
        cx, cy = int(x // cell), int(y // cell)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for ox, oy in grid.get((cx + dx, cy + dy), []):
                    best = min(best, math.hypot(x - ox, y - oy))
        grid.setdefault((cx, cy), []).append((x, y))
    return best


def test_import_is_light() -> None:
    """Importing the module does not import pyvis or jinja2 (the CLI starts fast)."""
    src = Path(sys.modules[render_html.__module__].__file__ or "").resolve().parents[2]
    code = (
        "import sys\n"
        "import genai_graph\n"
        "before = set(sys.modules)\n"
        "import genai_graph.views.html\n"
        "new = set(sys.modules) - before\n"
        "print(sorted(m for m in new if m.split('.')[0] in {'pyvis', 'jinja2', 'IPython'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src), "PATH": ""},
    )
    assert result.stdout.strip() == "[]"


def test_inferred_relation_steps_keep_their_relation(tmp_path: Path) -> None:
    """A proof step `bolt part of car` (transitivity) is drawn as `part of`, not as `is a`."""
    source = tmp_path / "car.ttl"
    source.write_text(
        "@prefix : <http://ex.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        ':partOf a owl:ObjectProperty, owl:TransitiveProperty ; rdfs:label "part of" .\n'
        ":Part a owl:Class .\n"
        ":InCar owl:equivalentClass [ owl:onProperty :partOf ; owl:hasValue :car ] .\n"
        ":bolt a :Part ; :partOf :wheel . :wheel a :Part ; :partOf :car . :car a :Part .\n"
    )
    kg = genai_graph.load(source, bundled=False)
    out = tmp_path / "car.html"
    kg.to_html(out, explain=("http://ex.org/bolt", "http://ex.org/InCar"))
    edges = graph_data(out.read_text())["edges"]
    step = [e for e in edges if e["from"].endswith("bolt") and e["to"].endswith("car")]
    assert len(step) == 1
    assert step[0]["relation"] == "part of" and step[0]["kind"] == "relation"
    assert step[0]["stated"] is False and step[0]["highlight"] is True


def test_sources_reach_the_page(tmp_path: Path) -> None:
    """dcterms:source and rdfs:seeAlso values travel to the page as the node's sources."""
    source = tmp_path / "src.ttl"
    source.write_text(
        "@prefix : <http://ex.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        ':A a owl:Class ; rdfs:label "A" ; dcterms:source <https://example.org/a> ;\n'
        '   rdfs:seeAlso <https://example.org/see> , "a book, p. 3" .\n'
        ':B a owl:Class ; rdfs:label "B" ; rdfs:subClassOf :A .\n'
    )
    kg = genai_graph.load(source, bundled=False)
    nodes = {n["label"]: n for n in graph_data(kg.to_html())["nodes"]}
    assert nodes["A"]["sources"] == [
        "https://example.org/a",
        "a book, p. 3",
        "https://example.org/see",
    ]
    assert nodes["B"]["sources"] == []


def test_bundled_terms_have_sources() -> None:
    """The bundled ontology's terms carry their dcterms:source IRIs into the page data."""
    nodes = genai_graph.load().to_networkx().nodes(data=True)
    with_sources = [d for _, d in nodes if d["sources"]]
    assert len(with_sources) > len(nodes) / 2
    assert all(s.startswith(("http://", "https://")) for d in with_sources for s in d["sources"])


def test_relation_legend_counts(page: str) -> None:
    """The legend lists each relation (the filters) with its kind and edge count."""
    relations = graph_data(page)["legend"]["relations"]
    assert relations == [
        {"name": "is a", "kind": "subclass", "count": 2},
        {"name": "instance of", "kind": "type", "count": 2},
        {"name": "generates", "kind": "relation", "count": 1},
    ]


def tree_graph(n: int, fanout: int = 4) -> nx.MultiDiGraph:
    """Return an n-node is-a tree (node i's parent is (i - 1) // fanout)."""
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"urn:n{i}", label=f"node {i}", kind="class", category="AI technology")
        if i:
            g.add_edge(f"urn:n{i}", f"urn:n{(i - 1) // fanout}", relation="is a", kind="subclass")
    return g


def test_big_graphs_open_at_their_top_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above COLLAPSE_NODE_LIMIT the page opens with as many top levels as the budget allows."""
    from genai_graph.views import html

    g = tree_graph(400)  # levels of 1, 4, 16, 64, 256 (+59) nodes
    assert graph_data(render_html(g))["layout"]["levels"] == 0
    monkeypatch.setattr(html, "COLLAPSE_NODE_LIMIT", 300)
    monkeypatch.setattr(html, "_OPEN_NODE_BUDGET", 100)
    assert graph_data(render_html(g))["layout"]["levels"] == 4  # 1 + 4 + 16 + 64 = 85 nodes
    monkeypatch.setattr(html, "_OPEN_NODE_BUDGET", 1)
    assert graph_data(render_html(g))["layout"]["levels"] == 1
    assert graph_data(render_html(g, levels=0))["layout"]["levels"] == 0
    assert graph_data(render_html(g, levels=2))["layout"]["levels"] == 2


def test_negative_levels_are_refused() -> None:
    """levels below 0 is a clear error."""
    with pytest.raises(genai_graph.GenAIGraphError, match="levels"):
        render_html(small_graph(), levels=-1)


def test_render_page_passes_levels() -> None:
    """to_html's page renderer passes `levels` through to the page."""
    from genai_graph.views.page import render_page

    kg = genai_graph.load()
    assert graph_data(render_page(kg, levels=2))["layout"]["levels"] == 2
    assert graph_data(render_page(kg))["layout"]["levels"] == 0
