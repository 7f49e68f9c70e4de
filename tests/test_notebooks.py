"""Notebook display: hostile data stays text, and the example notebooks run in a real kernel.

Each notebook in examples/ is executed once per session with nbclient (kernel
``python3``, the notebook's folder as working directory); the tests then read
the outputs: tables, explanations and, for graphs, self-contained ``<iframe
srcdoc>`` pages. One test opens the visualization notebook's two graphs in
Debian's Chromium and checks that both draw, with no request leaving the machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import genai_graph
from genai_graph import GenAIGraphError
from genai_graph.notebook import GraphView

from .conftest import external_references, require_module

nbformat = require_module("nbformat")
nbclient = require_module("nbclient")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOTEBOOKS = ("tour", "sparql", "visualization", "own-ontology")


# -- running and reading notebooks --------------------------------------------------


@pytest.fixture(scope="session")
def executed() -> dict[str, Any]:
    """Run every example notebook once; each name maps to the executed notebook."""
    done = {}
    for name in NOTEBOOKS:
        nb = nbformat.read(EXAMPLES / f"{name}.ipynb", as_version=4)
        client = nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}
        )
        client.execute()
        done[name] = nb
    return done


def outputs(nb: Any) -> Iterator[Any]:
    """Yield every output of every code cell."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.outputs


def html_outputs(nb: Any) -> list[str]:
    """Return the text/html of every rich output, in order."""
    return [o.data["text/html"] for o in outputs(nb) if "text/html" in o.get("data", {})]


def text_outputs(nb: Any) -> str:
    """Return every stream and text/plain output joined together."""
    parts = []
    for o in outputs(nb):
        if o.output_type == "stream":
            parts.append(o.text)
        elif "text/plain" in o.get("data", {}):
            parts.append(o.data["text/plain"])
    return "\n".join(parts)


class Elements(HTMLParser):
    """Collect every start tag with its attributes, and the text of ``<script>`` elements by id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: dict[str, str] = {}
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the tag; start collecting a script's text."""
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs).get("id") or ""
            self.scripts.setdefault(self._script, "")

    def handle_endtag(self, tag: str) -> None:
        """Stop collecting a script's text."""
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        """Collect the text of the open script."""
        if self._script is not None:
            self.scripts[self._script] += data

    def named(self, tag: str) -> list[dict[str, str | None]]:
        """Return the attributes of every `tag` element seen."""
        return [attrs for t, attrs in self.tags if t == tag]


def parse(text: str) -> Elements:
    """Parse `text` as HTML."""
    parser = Elements()
    parser.feed(text)
    parser.close()
    return parser


def frames(nb: Any) -> list[dict[str, str | None]]:
    """Return the attributes of every ``<iframe>`` in the notebook's outputs (srcdoc unescaped)."""
    return [frame for out in html_outputs(nb) for frame in parse(out).named("iframe")]


def graph_data(frame: dict[str, str | None]) -> dict[str, Any]:
    """Return the graph data a framed page draws."""
    page = parse(frame["srcdoc"] or "")
    data: dict[str, Any] = json.loads(page.scripts["graph-data"])
    return data


# -- the notebooks ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean(executed: dict[str, Any], name: str) -> None:
    """Every cell ran, none raised, nothing was written to stderr; git holds it without outputs."""
    nb = executed[name]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 3
    assert all(c.execution_count for c in code)
    errors = [o for o in outputs(nb) if o.output_type == "error"]
    assert errors == [], [f"{e.ename}: {e.evalue}" for e in errors]
    stderr = [o.text for o in outputs(nb) if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == []
    stored = nbformat.read(EXAMPLES / f"{name}.ipynb", as_version=4)
    nbformat.validate(stored)
    assert all(not c.get("outputs") for c in stored.cells if c.cell_type == "code")


@pytest.mark.slow
def test_tour_outputs(executed: dict[str, Any]) -> None:
    """The tour answers is-a, explains with stated and inferred steps, and draws a graph."""
    nb = executed["tour"]
    text = text_outputs(nb)
    assert "(True, False)" in text
    assert "Large Language Model --generates--> Text" in text
    rich = "\n".join(html_outputs(nb))
    assert 'class="genai-graph-explanation"' in rich
    assert 'class="inferred"' in rich and "inferred: EL: intersection" in rich
    assert "<strong>GPT-4</strong>" in rich  # the concept card
    assert "Text Generation Model" in rich  # the ancestors table
    [frame] = frames(nb)
    labels = {node["label"] for node in graph_data(frame)["nodes"]}
    assert "Large Language Model" in labels


@pytest.mark.slow
def test_sparql_outputs(executed: dict[str, Any]) -> None:
    """SELECT results show as tables (ours and pandas'), in every format asked for."""
    nb = executed["sparql"]
    rich = html_outputs(nb)
    tables = [t for t in rich if 'class="genai-graph-result"' in t]
    assert len(tables) == 2
    first = parse(tables[0])
    assert len(first.named("th")) == 2 and len(first.named("tr")) == 1 + 8
    assert "genai:" in tables[0]  # IRIs shortened to CURIEs
    assert any('class="dataframe' in t for t in rich)
    assert "GPT-4" in tables[1] and ">2023<" in tables[1]
    text = text_outputs(nb)
    assert "system,year" in text and '"head": {"vars": ["system", "year"]}' in text
    assert "(False, True)" in text  # the entailment switch
    told, el = text.strip().splitlines()[-1].strip("()").split(", ")
    assert int(el) > int(told) > 0


@pytest.mark.slow
def test_visualization_outputs(executed: dict[str, Any]) -> None:
    """Two graphs, each a whole offline page in its own frame with its own id and data."""
    nb = executed["visualization"]
    rich = html_outputs(nb)
    found = frames(nb)
    assert len(found) == 2
    assert len({f["id"] for f in found}) == 2 and all(f["id"] for f in found)
    for frame in found:
        sandbox = (frame["sandbox"] or "").split()
        assert "allow-scripts" in sandbox and "allow-same-origin" not in sandbox
    assert all(f.get("title") for f in found)
    for out in rich:
        assert external_references(out) == []
    first, second = (graph_data(f) for f in found)
    assert first["focus"] != second["focus"]
    labels = {n["label"] for n in first["nodes"]}
    assert {"Text-to-Image Model", "Stable Diffusion"} <= labels
    highlighted = {n["label"] for n in second["nodes"] if n.get("highlight")}
    assert {"GPT-4", "Large Language Model", "Generative AI"} <= highlighted
    for frame in found:
        page = frame["srcdoc"] or ""
        assert page.startswith("<!DOCTYPE html>")
        assert external_references(page) == []
        tags = parse(page)
        assert all(not s.get("src") for s in tags.named("script"))  # vis-network is inlined
        assert all(not (link.get("href") or "").startswith("http") for link in tags.named("link"))
        assert "vis-network" in page or "vis.Network" in page
    assert "diffusion.html" in text_outputs(nb)


@pytest.mark.slow
def test_own_ontology_outputs(executed: dict[str, Any]) -> None:
    """A user's Turtle file: is-a through a restriction, a proof, a report, a clear error, a graph."""
    nb = executed["own-ontology"]
    text = text_outputs(nb)
    assert "(True, True, False)" in text
    assert "missing-definition" in text
    assert "broken.ttl:11:" in text  # the error names the line
    rich = "\n".join(html_outputs(nb))
    assert "House dog is a kind of Pet" in rich and 'class="inferred"' in rich
    [frame] = frames(nb)
    labels = {n["label"] for n in graph_data(frame)["nodes"]}
    assert {"Rex", "Pet"} <= labels


# -- the graphs in a real browser (the session's Chromium, tests/conftest.py) ---------------


def notebook_page(nb: Any) -> str:
    """Return an executed notebook as a plain page: each cell's code, then its outputs."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts.append(f"<pre>In [{cell.execution_count}]: {escape(cell.source)}</pre>")
        for out in cell.outputs:
            if out.output_type == "stream":
                parts.append(f"<pre>{escape(out.text)}</pre>")
            elif "text/html" in out.get("data", {}):
                parts.append(f'<div class="output">{out.data["text/html"]}</div>')
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>outputs</title></head>"
        f"<body style='font-family:sans-serif'>{''.join(parts)}</body></html>"
    )


@pytest.mark.slow
@pytest.mark.browser
def test_visualization_draws_in_chromium(
    executed: dict[str, Any], tmp_path: Path, chromium: Any
) -> None:
    """The notebook's two graph outputs, on one page, both draw and fetch nothing."""
    host = tmp_path / "notebook.html"
    host.write_text(notebook_page(executed["visualization"]), encoding="utf-8")
    external: list[str] = []
    errors: list[str] = []
    # Tall enough for both frames: Chromium may not render a cross-origin frame off screen.
    context = chromium.new_context(viewport={"width": 1000, "height": 1700})
    try:
        page = context.new_page()

        def route(r: Any) -> None:
            if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
                r.continue_()
            else:
                external.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(host.as_uri())
        handles = page.query_selector_all("iframe.genai-graph-view")
        assert len(handles) == 2
        drawn = []
        for handle in handles:
            handle.scroll_into_view_if_needed()
            frame = handle.content_frame()
            assert frame is not None
            frame.wait_for_function(
                "() => document.body.dataset.ready === '1'", timeout=30_000, polling=100
            )
            drawn.append(
                frame.evaluate(
                    """() => ({
                        canvases: document.querySelectorAll('canvas').length,
                        nodes: window.genaiGraph.nodes.length,
                        labels: window.genaiGraph.nodes.get().map(n => n.label || ''),
                    })"""
                )
            )
        # The host page cannot reach into a frame: each is sandboxed to its own origin.
        assert (
            page.evaluate(
                "() => { try { return !!document.querySelector('iframe').contentDocument; }"
                " catch (e) { return false; } }"
            )
            is False
        )
        artifacts = Path(os.environ.get("GENAI_GRAPH_ARTIFACTS", tmp_path))
        artifacts.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(artifacts / "notebook-graphs.png"), full_page=True)
    finally:
        context.close()
    assert external == []
    assert errors == []
    assert all(d["canvases"] >= 1 and d["nodes"] > 0 for d in drawn)
    assert any("Text-to-Image Model" in label for label in drawn[0]["labels"])
    assert any("GPT-4" in label for label in drawn[1]["labels"])


# -- rich display: every string from the data is escaped ------------------------------

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_TTL = """
@prefix ex: <http://example.org/hostile#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:Top a owl:Class ; rdfs:label "Top <b>bold</b>" .
ex:X a owl:Class ; rdfs:subClassOf ex:Top ,
        [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:Top ] ;
    rdfs:label "<img src=x onerror=alert(1)>" ;
    skos:definition "</table><script>alert(2)</script>" ;
    skos:altLabel '" onmouseover="alert(3)' .
ex:Q a owl:Class ; rdfs:label "<svg onload=alert(4)>" ;
    owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:Top ] .
ex:p a owl:ObjectProperty ; rdfs:label "<a href=javascript:alert(5)>p</a>" .
ex:x1 a ex:X ; rdfs:label "x1 & <i>" .
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> genai_graph.KnowledgeGraph:
    """Load a graph whose labels, definition, synonym and property name are HTML and script."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(HOSTILE_TTL, encoding="utf-8")
    return genai_graph.load(path, bundled=False)


def assert_inert(markup: str) -> Elements:
    """No element but the harmless ones, and no event handler or javascript: link, in `markup`."""
    page = parse(markup)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"img", "script", "svg", "a", "b", "i", "iframe"}, tags
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower() or name == "title", (tag, name)
    return page


def visible_text(markup: str) -> str:
    """Return the text a browser would show for `markup`."""
    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(markup)
    parser.close()
    return "".join(parts)


def test_concept_card_escapes(hostile: genai_graph.KnowledgeGraph) -> None:
    """A concept card shows hostile label, definition, synonym and parent as text."""
    card = hostile.concept("ex:X")._repr_html_()  # "<...>" would be read as an IRI
    assert_inert(card)
    text = visible_text(card)
    assert HOSTILE in text and "</table><script>alert(2)</script>" in text
    assert '" onmouseover="alert(3)' in text and "Top <b>bold</b>" in text
    individual = hostile.concept("x1 & <i>")._repr_html_()
    assert_inert(individual)
    assert "instance of: " + HOSTILE in visible_text(individual)


def test_concept_set_table_escapes(hostile: genai_graph.KnowledgeGraph) -> None:
    """A concept set is a table with one row per member, every cell text."""
    members = hostile.descendants("Top <b>bold</b>", reflexive=True)
    table = members._repr_html_()
    page = assert_inert(table)
    assert len(page.named("tr")) == 1 + len(members)
    assert HOSTILE in visible_text(table) and "</table><script>alert(2)" in visible_text(table)
    empty = hostile.children("ex:Q", entailment="told")._repr_html_()
    assert "0 concepts" in empty


def test_explanation_table_escapes_and_marks_inferred(hostile: genai_graph.KnowledgeGraph) -> None:
    """An explanation is a table: stated and inferred steps differ, rules are named, text escaped."""
    why = hostile.explain("ex:X", "ex:Q")
    assert why is not None and not why.stated
    table = why._repr_html_()
    page = assert_inert(table)
    rows = [attrs for attrs in page.named("tr") if attrs.get("class")]
    assert len(rows) == len(why)
    assert [r["class"] for r in rows] == ["stated" if s.stated else "inferred" for s in why]
    assert all("italic" in (r.get("style") or "") for r in rows if r["class"] == "inferred")
    text = visible_text(table)
    assert f"{HOSTILE} is a kind of <svg onload=alert(4)>" in text
    assert "<a href=javascript:alert(5)>p</a>" in text
    assert all(f"inferred: {s.rule}" in text for s in why if not s.stated and s.rule)


def test_relation_escapes(hostile: genai_graph.KnowledgeGraph) -> None:
    """A relation shows as one escaped line, inferred ones marked."""
    [relation] = hostile.relations("ex:X", entailment="told")
    line = relation._repr_html_()
    assert_inert(line)
    assert (
        visible_text(line) == f"{HOSTILE} <a href=javascript:alert(5)>p</a> Top <b>bold</b> (some)"
    )


def test_graph_view_frame_is_inert_and_isolated(hostile: genai_graph.KnowledgeGraph) -> None:
    """kg.show: one sandboxed iframe, hostile title escaped, the page in srcdoc runs no data."""
    view = hostile.show(title=HOSTILE, height=300)
    first, second = view._repr_html_(), view._repr_html_()
    outer = parse(first)
    assert [tag for tag, _ in outer.tags] == ["iframe"]
    [frame] = outer.named("iframe")
    assert frame["title"] == HOSTILE
    assert "allow-same-origin" not in (frame["sandbox"] or "").split()
    assert frame["height"] == "300" and "height:300px" in (frame["style"] or "")
    assert frame["id"] != parse(second).named("iframe")[0]["id"]
    assert frame["srcdoc"] == view.html
    page = parse(view.html)
    assert not {tag for tag, _ in page.tags} & {"img", "svg", "iframe"}
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert external_references(first) == [] and external_references(view.html) == []
    data = json.loads(page.scripts["graph-data"])
    assert HOSTILE in {node["label"] for node in data["nodes"]}


def test_graph_view_options_and_save(kg: genai_graph.KnowledgeGraph, tmp_path: Path) -> None:
    """Heights in pixels or CSS units; bad heights and bad focus are clear errors; save is atomic."""
    view = kg.show(focus="LLM", depth=1, height="70vh")
    frame = parse(view._repr_html_()).named("iframe")[0]
    assert "height" not in frame and "height:70vh" in (frame["style"] or "")
    for bad in (0, -5, "tall", "1px; background:url(//x)", True, 2.5):
        with pytest.raises(GenAIGraphError, match="height"):
            kg.show(focus="LLM", depth=1, height=bad)  # type: ignore[arg-type]
    with pytest.raises(GenAIGraphError, match="depth needs a focus"):
        kg.show(depth=1)
    target = tmp_path / "llm.html"
    assert view.save(target) == target
    assert target.read_text(encoding="utf-8") == view.html
    assert [p.name for p in tmp_path.iterdir()] == ["llm.html"]
    with pytest.raises(GenAIGraphError, match="cannot write"):
        view.save(tmp_path / "missing" / "x.html")
    assert "GraphView" in repr(view) and isinstance(view, GraphView)
