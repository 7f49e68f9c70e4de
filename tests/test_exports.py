"""Exports for other tools: GraphML, Cytoscape.js JSON, Mermaid and DOT, hostile labels included."""

from __future__ import annotations

import html
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

import genai_graph
from genai_graph import GenAIGraphError
from genai_graph.cli import main
from genai_graph.views.export import FORMATS, to_cytoscape, to_dot, to_graphml, to_mermaid

HOSTILE = [
    'Say "hi"',
    "back\\slash",
    "trailing backslash\\",
    '\\"',
    '"',
    "new\nline\r\nand\rreturn",
    '"]; evil [',
    "<script>window.pwned = 1</script>",
    "A -->|x| B",
    '%%{init: {"securityLevel": "loose"}}%%',
    "style n0 fill:#f00;",
    "#quot; &amp; #35;",
    "`**markdown**`",
    "$$x^2$$",
    "end",
    "tab\there, bell\x07, nul\x00",
    "line\u2028separator\x85next",
    "}",
    "digraph { a -> b }",
]

_BAD_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def hostile_graph() -> nx.MultiDiGraph:
    """Return a graph with a hostile string in every id, label, definition and relation."""
    g = nx.MultiDiGraph()
    ids = []
    for i, text in enumerate(HOSTILE):
        node = f"http://example.org/{text}#{i}"
        ids.append(node)
        g.add_node(
            node,
            label=f"{text} {i}",
            kind="individual" if i % 2 else "class",
            category=text,
            definition=f"def {text}" if i % 3 else None,
            synonyms=[text, f"syn {i}"],
            curie=f"x:{text}",
        )
    for i, (u, v) in enumerate(itertools.pairwise(ids)):
        g.add_edge(
            u,
            v,
            key=f"k{i}",
            relation=HOSTILE[-i],
            predicate=HOSTILE[i],
            kind="relation",
            stated=bool(i % 2),
        )
    return g


def one_line(text: str) -> str:
    """Return what Mermaid labels keep of `text`: line breaks and control characters as spaces."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text).strip()


# -- GraphML ---------------------------------------------------------------------------


def read_graphml(text: str) -> nx.MultiDiGraph:
    """Parse GraphML text as XML, then read it back with networkx."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "{http://graphml.graphdrawing.org/xmlns}graphml"
    return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)


def assert_graphml_round_trip(g: nx.MultiDiGraph, text: str) -> None:
    """Check that the GraphML of `g` reads back with the same nodes, edges and attributes."""

    def xml(s: str) -> str:
        return _BAD_XML.sub("\ufffd", s)

    back = read_graphml(text)
    assert set(back.nodes) == {xml(n) for n in g.nodes}
    assert sorted((u, v, k) for u, v, k in back.edges(keys=True)) == sorted(
        (xml(u), xml(v), xml(k)) for u, v, k in g.edges(keys=True)
    )
    for node, data in g.nodes(data=True):
        got = back.nodes[xml(node)]
        assert got["label"] == xml(data["label"])
        assert json.loads(got["synonyms"]) == data["synonyms"]  # JSON escapes control characters
        if data["definition"] is None:
            assert "definition" not in got
        else:
            assert got["definition"] == xml(data["definition"])
    for u, v, k, data in g.edges(keys=True, data=True):
        got = back.edges[xml(u), xml(v), xml(k)]
        assert got["relation"] == xml(data["relation"])
        assert got["stated"] is data["stated"]


def test_graphml_round_trips_the_bundled_graph(kg: genai_graph.KnowledgeGraph) -> None:
    """The bundled graph's GraphML is XML and reads back node for node, edge for edge."""
    assert_graphml_round_trip(kg.to_networkx(), kg.export(None, "graphml"))


def test_graphml_round_trips_hostile_strings() -> None:
    """Quotes, markup, CR, line separators survive; characters XML cannot hold become U+FFFD."""
    g = hostile_graph()
    text = to_graphml(g)
    assert_graphml_round_trip(g, text)
    back = read_graphml(text)
    assert back.nodes[f"http://example.org/{HOSTILE[5]}#5"]["label"] == f"{HOSTILE[5]} 5"
    assert "<script>" not in text


# -- Cytoscape.js ------------------------------------------------------------------------


def test_cytoscape_json_counts(kg: genai_graph.KnowledgeGraph) -> None:
    """Cytoscape JSON holds one element per node and edge, with ids, names and classes."""
    g = kg.to_networkx()
    data = json.loads(kg.export(None, "cytoscape"))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert (len(nodes), len(edges)) == (g.number_of_nodes(), g.number_of_edges())
    assert {n["data"]["id"] for n in nodes} == set(g.nodes)
    llm = next(n for n in nodes if n["data"]["name"] == "Large Language Model")
    assert llm["data"]["curie"] == "genai:LargeLanguageModel" and llm["classes"] == "class"
    inferred = sum(1 for *_, s in g.edges(data="stated") if not s)
    assert inferred > 0
    assert sum(1 for e in edges if e["classes"].endswith(" inferred")) == inferred
    assert all(e["data"]["source"] in g and e["data"]["target"] in g for e in edges)


def test_cytoscape_hostile() -> None:
    """Hostile strings come back from the JSON exactly as they went in."""
    g = hostile_graph()
    data = json.loads(to_cytoscape(g))
    labels = {n["data"]["id"]: n["data"]["name"] for n in data["elements"]["nodes"]}
    assert labels == dict(g.nodes(data="label"))
    relations = sorted(e["data"]["relation"] for e in data["elements"]["edges"])
    assert relations == sorted(r for *_, r in g.edges(data="relation"))


# -- Mermaid -----------------------------------------------------------------------------

_MERMAID_TEXT = r'"((?:[^"#%&:;<>\\`$\x00-\x1f]|#quot;|#\d+;)*)"'
_MERMAID_NODE = re.compile(rf"    (n\d+)(?:\[{_MERMAID_TEXT}\]|\({_MERMAID_TEXT}\))")
_MERMAID_EDGE = re.compile(rf"    (n\d+) (-->|-\.->)(?:\|{_MERMAID_TEXT}\|)? (n\d+)")


def mermaid_decode(text: str) -> str:
    """Undo Mermaid's entity codes."""
    return re.sub(r"#(quot|\d+);", lambda m: '"' if m[1] == "quot" else chr(int(m[1])), text)


def parse_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Check every line's shape; return node labels by id and (from, arrow, label, to) edges."""
    lines = text.splitlines()
    assert lines[0] == "flowchart BT"
    assert text.endswith("\n") and len(lines) == text.count("\n")
    nodes: dict[str, str] = {}
    edges = []
    for line in lines[1:]:
        if m := _MERMAID_NODE.fullmatch(line):
            assert m[1] not in nodes
            nodes[m[1]] = mermaid_decode(m[2] if m[2] is not None else m[3])
        elif m := _MERMAID_EDGE.fullmatch(line):
            edges.append((m[1], m[2], mermaid_decode(m[3] or ""), m[4]))
        else:
            pytest.fail(f"not a Mermaid statement: {line!r}")
    assert all(u in nodes and v in nodes for u, _, _, v in edges)
    return nodes, edges


def test_mermaid_hostile_labels() -> None:
    """Every line is a node or an edge statement; labels decode to the original, on one line."""
    g = hostile_graph()
    nodes, edges = parse_mermaid(to_mermaid(g))
    assert sorted(nodes.values()) == sorted(one_line(label) for _, label in g.nodes(data="label"))
    assert len(edges) == g.number_of_edges()
    assert sorted(label for _, _, label, _ in edges) == sorted(
        one_line(r) for *_, r in g.edges(data="relation")
    )
    dashed = [e for e in edges if e[1] == "-.->"]
    assert len(dashed) == sum(1 for *_, s in g.edges(data="stated") if not s)


def test_mermaid_focus_and_taxonomy(kg: genai_graph.KnowledgeGraph) -> None:
    """A focused taxonomy: LLM, its is-a neighbours, edges labelled "is a"/"instance of"."""
    text = kg.export(None, "mermaid", focus="LLM", depth=1, taxonomy_only=True)
    nodes, edges = parse_mermaid(text)
    g = kg.to_networkx(taxonomy_only=True)
    llm = str(genai_graph.GENAI.LargeLanguageModel)
    near = {llm, *g.successors(llm), *g.predecessors(llm)}
    assert sorted(nodes.values()) == sorted(g.nodes[n]["label"] for n in near)
    assert {label for _, _, label, _ in edges} <= {"is a", "instance of", "equivalent to"}
    assert len(edges) == g.subgraph(near).number_of_edges()


# -- DOT ---------------------------------------------------------------------------------


def dot_tokens(text: str) -> list[tuple[str, str]]:
    r"""Split DOT text into (kind, value) tokens the way Graphviz's scanner does.

    In a quoted string only ``\"`` is an escape (a backslash before any other
    character stays), so a string that ends in a lone backslash runs on: the
    scanner here fails on it, as Graphviz would.
    """
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in " \t\n":
            i += 1
        elif c == '"':
            value = []
            i += 1
            while True:
                assert i < len(text), "a quoted string runs to the end of the text"
                if text.startswith('\\"', i):
                    value.append('"')
                    i += 2
                elif text[i] == '"':
                    i += 1
                    break
                else:
                    assert text[i] != "\n", "a quoted string runs over a line break"
                    value.append(text[i])
                    i += 1
            tokens.append(("string", "".join(value)))
        elif text.startswith("->", i):
            tokens.append(("->", "->"))
            i += 2
        elif c in "{}[];,=":
            tokens.append((c, c))
            i += 1
        elif m := re.compile(r"[A-Za-z_][A-Za-z_0-9]*").match(text, i):
            tokens.append(("id", m[0]))
            i = m.end()
        else:
            pytest.fail(f"unexpected character {c!r} at {i}")
    return tokens


def graphviz_text(value: str) -> str:
    r"""Return what Graphviz shows for a label string: ``\n`` a line break, entities decoded."""
    return html.unescape(value.replace("\\n", "\n"))


def parse_dot(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """Parse the digraph: return node attributes by id and (tail, head, attributes) edges."""
    tokens = dot_tokens(text)
    pos = 0

    def take(kind: str) -> str:
        nonlocal pos
        assert pos < len(tokens), f"expected {kind}, got the end"
        got_kind, value = tokens[pos]
        assert got_kind == kind, f"expected {kind}, got {tokens[pos]} at token {pos}"
        pos += 1
        return value

    def attributes() -> dict[str, str]:
        nonlocal pos
        out: dict[str, str] = {}
        if tokens[pos][0] != "[":
            return out
        take("[")
        while tokens[pos][0] != "]":
            name = take("id")
            take("=")
            value = tokens[pos][1]
            assert tokens[pos][0] in ("id", "string")
            pos += 1
            out[name] = value
            if tokens[pos][0] == ",":
                take(",")
        take("]")
        return out

    assert take("id") == "digraph"
    take("string")
    take("{")
    nodes: dict[str, dict[str, str]] = {}
    edges = []
    while tokens[pos][0] != "}":
        kind, value = tokens[pos]
        if kind == "id":
            pos += 1
            if value in ("node", "edge", "graph"):
                attributes()
            else:
                take("=")
                take("id")
        else:
            tail = take("string")
            if tokens[pos][0] == "->":
                take("->")
                head = take("string")
                edges.append((tail, head, attributes()))
            else:
                assert tail not in nodes
                nodes[tail] = attributes()
        take(";")
    take("}")
    assert pos == len(tokens), "text after the closing brace"
    return nodes, edges


def test_dot_hostile_labels() -> None:
    """Hostile ids and labels stay inside their strings and show as written."""
    g = hostile_graph()
    text = to_dot(g)
    nodes, edges = parse_dot(text)
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    shown = sorted(graphviz_text(a["label"]) for a in nodes.values())
    expected = sorted(
        re.sub(r"[\t\x00\x07]", " ", re.sub(r"\r\n|[\n\r\x85\u2028]", "\n", label))
        for _, label in g.nodes(data="label")
    )
    assert shown == expected
    assert all(("style" in a) == (a.get("style") == "dashed") for *_, a in edges)
    dashed = sum(1 for *_, a in edges if a.get("style") == "dashed")
    assert dashed == sum(1 for *_, s in g.edges(data="stated") if not s)
    assert all(set(n) & set(' "<>\\\n') == set() for n in nodes)  # ids are legal IRIs
    assert sum(1 for a in nodes.values() if a.get("shape") == "ellipse") == len(HOSTILE) // 2


def test_dot_bundled(kg: genai_graph.KnowledgeGraph) -> None:
    """The bundled graph as DOT: every node once under its IRI, every edge, inferred dashed."""
    g = kg.to_networkx()
    nodes, edges = parse_dot(kg.export(None, "dot"))
    assert set(nodes) == set(g.nodes)
    llm = nodes[str(genai_graph.GENAI.LargeLanguageModel)]
    assert graphviz_text(llm["label"]) == "Large Language Model" and "tooltip" in llm
    assert len(edges) == g.number_of_edges()
    inferred = sum(1 for *_, s in g.edges(data="stated") if not s)
    assert sum(1 for *_, a in edges if a.get("style") == "dashed") == inferred


# -- through a loaded graph ------------------------------------------------------------


def test_hostile_turtle_end_to_end(tmp_path: Path) -> None:
    """Labels parsed from Turtle with quotes, backslashes and newlines export safely."""
    ttl = tmp_path / "hostile.ttl"
    ttl.write_text(
        "@prefix ex: <http://example.org/h#> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ex:A a owl:Class ; rdfs:label "A \\"]; evil [ \\\\" .\n'
        'ex:B a owl:Class ; rdfs:subClassOf ex:A ; rdfs:label "B -->|x| <b>\\nnext\\u0001" .\n',
        encoding="utf-8",
    )
    small = genai_graph.load(ttl, bundled=False)
    labels = {'A "]; evil [ \\', "B -->|x| <b>\nnext\x01"}
    nodes, edges = parse_mermaid(small.export(None, "mermaid"))
    assert set(nodes.values()) == {one_line(x) for x in labels}
    assert [(a, label) for _, a, label, _ in edges] == [("-->", "is a")]
    dot_nodes, dot_edges = parse_dot(small.export(None, "dot"))
    assert {graphviz_text(a["label"]) for a in dot_nodes.values()} == {
        'A "]; evil [ \\',
        "B -->|x| <b>\nnext ",
    }
    assert len(dot_edges) == 1
    back = read_graphml(small.export(None, "graphml"))
    assert {d["label"] for _, d in back.nodes(data=True)} == {
        'A "]; evil [ \\',
        "B -->|x| <b>\nnext\x01".replace("\x01", "\ufffd"),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_atomically_and_returns_the_text(
    kg: genai_graph.KnowledgeGraph, tmp_path: Path, fmt: str
) -> None:
    """export(path, format) writes the text it returns, and the same graph gives the same text."""
    target = tmp_path / f"out.{fmt}"
    text = kg.export(target, fmt, focus="GPT-4", depth=1)
    assert target.read_text(encoding="utf-8") == text
    assert kg.export(None, fmt, focus="GPT-4", depth=1) == text
    assert "GPT-4" in text
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.graphml", "graphml"),
        ("a.cyjs", "cytoscape"),
        ("a.JSON", "cytoscape"),
        ("a.mmd", "mermaid"),
        ("a.gv", "dot"),
        ("a.dot", "dot"),
    ],
)
def test_format_from_suffix(
    kg: genai_graph.KnowledgeGraph, tmp_path: Path, name: str, fmt: str
) -> None:
    """Without a format, the file name's suffix chooses it."""
    text = kg.export(tmp_path / name, focus="LLM", depth=0)
    assert text == kg.export(None, fmt, focus="LLM", depth=0)


def test_options_change_the_graph(kg: genai_graph.KnowledgeGraph) -> None:
    """taxonomy_only drops relations, told drops inferred edges, inferred_relations adds some."""

    def edges(**options: object) -> list[dict[str, object]]:
        data = json.loads(kg.export(None, "cytoscape", focus="GPT-4", depth=1, **options))  # type: ignore[arg-type]
        return [e["data"] for e in data["elements"]["edges"]]

    everything = edges()
    assert "relation" in {e["kind"] for e in everything}
    assert {e["kind"] for e in edges(taxonomy_only=True)} == {"type", "subclass"}
    assert all(e["stated"] for e in edges(entailment="told"))
    assert not all(e["stated"] for e in everything)
    assert len(edges(inferred_relations=True)) > len(everything)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"format": "png"}, "unknown export format 'png'"),
        ({"path": "x.txt"}, "cannot tell the export format"),
        ({}, "cannot tell the export format"),
        ({"format": "dot", "depth": 1}, "depth needs a focus"),
        ({"format": "dot", "focus": "LLM", "depth": -1}, "depth must be 0 or more"),
        ({"format": "dot", "focus": "Large Langauge Modle"}, "Large Language Model"),
    ],
)
def test_bad_arguments(
    kg: genai_graph.KnowledgeGraph, tmp_path: Path, call: dict[str, object], message: str
) -> None:
    """Bad formats, depths and names raise GenAIGraphError and write nothing."""
    if "path" in call:
        call = {**call, "path": tmp_path / str(call["path"])}
    with pytest.raises(GenAIGraphError, match=re.escape(message)):
        kg.export(**call)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_failed_export_keeps_the_old_file(kg: genai_graph.KnowledgeGraph, tmp_path: Path) -> None:
    """A failing export leaves an existing file as it was; a missing directory is an error."""
    target = tmp_path / "map.dot"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(GenAIGraphError):
        kg.export(target, focus="no such concept at all")
    assert target.read_text(encoding="utf-8") == "old"
    with pytest.raises(GenAIGraphError, match="cannot write"):
        kg.export(tmp_path / "missing" / "map.dot", focus="LLM", depth=0)


# -- the command line --------------------------------------------------------------------


def test_cli_export_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    """export -o - prints the text itself."""
    code = main(
        ["export", "-o", "-", "--format", "mermaid", "--focus", "LLM", "--depth", "1", "--taxonomy"]
    )
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    nodes, edges = parse_mermaid(out)
    assert "Large Language Model" in nodes.values() and edges


def test_cli_export_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """export -o FILE.graphml writes GraphML, the format taken from the suffix."""
    target = tmp_path / "map.graphml"
    code = main(["export", "-o", str(target), "--focus", "GPT-4"])
    out, _ = capsys.readouterr()
    assert code == 0 and str(target) in out
    assert (
        "Large Language Model"
        in dict(read_graphml(target.read_text("utf-8")).nodes(data="label")).values()
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "-", "--format", "svg"], "unknown export format 'svg'"),
        (["-o", "-"], "-o - needs --format"),
        (["-o", "{tmp}/missing/x.dot"], "cannot write"),
        (["-o", "{tmp}/x.dot", "--depth", "1"], "--depth needs --focus"),
        (["-o", "{tmp}/x.txt"], "cannot tell the export format"),
    ],
)
def test_cli_export_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """Errors are one line on stderr with exit status 2, and nothing is written."""
    code = main(["export", *(a.format(tmp=tmp_path) for a in argv)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("genai-graph: error:") and message in err
    assert list(tmp_path.iterdir()) == []


def test_cli_export_help(capsys: pytest.CaptureFixture[str]) -> None:
    """export --help names every format and the common options."""
    with pytest.raises(SystemExit) as caught:
        main(["export", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in FORMATS) and "--ontology" in out and "--taxonomy" in out
