"""Exporting the graph for other tools: GraphML, Cytoscape.js JSON, Mermaid and Graphviz DOT.

Every format starts from the networkx MultiDiGraph of
:func:`genai_graph.views.network.to_networkx`; nodes and edges are written in
a stable order (by label, then IRI), so that two exports of the same graph are
the same text and diff cleanly.

The text formats are written for hostile data: a label holding quotes,
backslashes, newlines, ``"]; evil [``, ``<script>`` or Mermaid syntax is
escaped, never able to end a string or start a statement.
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import GenAIGraphError

if TYPE_CHECKING:
    import networkx as nx

    from ..graph import KnowledgeGraph, NameLike

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "export_text",
    "format_for",
    "to_cytoscape",
    "to_dot",
    "to_graphml",
    "to_mermaid",
]

FORMATS = ("graphml", "cytoscape", "mermaid", "dot")
"""The export formats, by name."""

SUFFIXES = {
    ".graphml": "graphml",
    ".cyjs": "cytoscape",
    ".json": "cytoscape",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".dot": "dot",
    ".gv": "dot",
}
"""The file name endings from which the format is guessed when none is given."""


def format_for(path: str | os.PathLike[str] | None, format: str | None) -> str:
    """Return the export format: `format` checked, or guessed from the suffix of `path`.

    Examples
    --------
    >>> format_for("taxonomy.gv", None), format_for(None, "Mermaid")
    ('dot', 'mermaid')
    """
    names = ", ".join(FORMATS)
    if format is None:
        suffix = Path(path).suffix.lower() if path is not None else ""
        if suffix in SUFFIXES:
            return SUFFIXES[suffix]
        where = f"from {str(path)!r}" if path is not None else "without a path"
        raise GenAIGraphError(f"cannot tell the export format {where}; pass one of {names}")
    if format.lower() not in FORMATS:
        raise GenAIGraphError(f"unknown export format {format!r}; use one of {names}")
    return format.lower()


def export_text(
    kg: KnowledgeGraph,
    format: str,
    *,
    focus: NameLike | None = None,
    depth: int | None = None,
    entailment: str | None = None,
    taxonomy_only: bool = False,
    inferred_relations: bool = False,
) -> str:
    """Return `kg` (or the neighbourhood of `focus` within `depth` links) in `format`.

    See :meth:`genai_graph.KnowledgeGraph.export` for the parameters.
    """
    from .network import neighbourhood, to_networkx

    writer = _WRITERS[format_for(None, format)]
    if depth is not None and focus is None:
        raise GenAIGraphError("depth needs a focus: pass a focus concept as well")
    if depth is not None and depth < 0:
        raise GenAIGraphError(f"depth must be 0 or more, not {depth}")
    graph = to_networkx(
        kg,
        taxonomy_only=taxonomy_only,
        entailment=entailment,
        inferred_relations=inferred_relations,
    )
    if focus is not None:
        centre = str(kg._resolve(focus))
        if centre not in graph:
            raise GenAIGraphError(
                f"{focus!r} is not a class or individual, so it cannot be exported"
            )
        graph = neighbourhood(graph, centre, 2 if depth is None else depth)
    return writer(graph)


# -- ordering ------------------------------------------------------------------


def _ordered(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy of `graph` with nodes sorted by label then id, and edges by their ends."""
    import networkx as nx

    def node_key(n: Any) -> tuple[str, str]:
        return (str(graph.nodes[n].get("label") or n).casefold(), str(n))

    nodes = sorted(graph.nodes, key=node_key)
    rank = {n: i for i, n in enumerate(nodes)}
    out = nx.MultiDiGraph()
    out.graph.update(graph.graph)
    out.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    edges = sorted(
        graph.edges(keys=True, data=True),
        key=lambda e: (rank[e[0]], rank[e[1]], str(e[3].get("relation", "")), str(e[2])),
    )
    out.add_edges_from(edges)
    return out


# -- GraphML and Cytoscape.js, through networkx ----------------------------------

# Characters XML 1.0 cannot hold at all, not even as a character reference.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _graphml_value(value: Any) -> Any:
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return _xml_safe(value)
    return _xml_safe(json.dumps(value, ensure_ascii=False, default=str))


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """Return `graph` as a GraphML document.

    Attributes that are None are left out, lists (``synonyms``) are written as
    JSON text, and characters XML cannot hold (control characters other than
    tab, line feed and carriage return) become U+FFFD, so the document is
    always well-formed XML and reads back with ``networkx.read_graphml``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("ex:a", label="A", synonyms=["a", "alpha"], definition=None)
    >>> "<graphml" in to_graphml(g)
    True
    """
    import networkx as nx

    source = _ordered(graph)
    legal = nx.MultiDiGraph()
    for node, data in source.nodes(data=True):
        attrs = {k: _graphml_value(v) for k, v in data.items() if v is not None}
        legal.add_node(_xml_safe(str(node)), **attrs)
    for u, v, key, data in source.edges(keys=True, data=True):
        attrs = {k: _graphml_value(v) for k, v in data.items() if v is not None}
        legal.add_edge(_xml_safe(str(u)), _xml_safe(str(v)), key=_xml_safe(str(key)), **attrs)
    buffer = io.BytesIO()
    nx.write_graphml(legal, buffer, encoding="utf-8")
    # XML reads a raw carriage return as a line feed: write it as a reference to keep it.
    return buffer.getvalue().decode("utf-8").replace("\r", "&#13;")


def to_cytoscape(graph: nx.MultiDiGraph) -> str:
    """Return `graph` as Cytoscape.js JSON (``{"elements": {"nodes": [...], "edges": [...]}}``).

    Each node's ``data`` holds its attributes with ``id`` (the IRI) and
    ``name`` (the label); each edge's ``data`` holds ``source``, ``target``
    and its attributes. ``classes`` carry the kind, and ``inferred`` on edges
    the graph does not state, for Cytoscape style selectors.

    Examples
    --------
    >>> import json, networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("ex:a", "ex:b", key="k", kind="subclass", stated=False)
    'k'
    >>> json.loads(to_cytoscape(g))["elements"]["edges"][0]["classes"]
    'subclass inferred'
    """
    import networkx as nx

    data = nx.cytoscape_data(_ordered(graph), name="label")
    for element in data["elements"]["nodes"]:
        kind = element["data"].get("kind")
        if kind:
            element["classes"] = str(kind)
    for element in data["elements"]["edges"]:
        stated = element["data"].get("stated", True)
        kinds = [str(element["data"].get("kind") or "edge"), "stated" if stated else "inferred"]
        element["classes"] = " ".join(kinds)
    return json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n"


# -- Mermaid ---------------------------------------------------------------------

# Mermaid's entity codes (#name; or #decimal;) stand for the characters that
# could end a quoted label or be read as syntax: quotes, the entity mark
# itself, %% directives, HTML, markdown strings, math and the "style...:#...;"
# rewriting Mermaid does before it parses.
_MERMAID_CODES = {
    ord('"'): "#quot;",
    ord("#"): "#35;",
    ord("$"): "#36;",
    ord("%"): "#37;",
    ord("&"): "#38;",
    ord(":"): "#58;",
    ord(";"): "#59;",
    ord("<"): "#60;",
    ord(">"): "#62;",
    ord("\\"): "#92;",
    ord("`"): "#96;",
}


def _one_line(text: str) -> str:
    """Replace line breaks and other control characters by spaces."""
    return "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text
    ).strip()


def _mermaid_text(text: str) -> str:
    return '"' + _one_line(text).translate(_MERMAID_CODES) + '"'


def to_mermaid(graph: nx.MultiDiGraph) -> str:
    """Return `graph` as a Mermaid flowchart, parents above children.

    Nodes are named ``n0``, ``n1``, ... (in label order) and drawn with their
    label, individuals rounded; stated edges are ``-->``, inferred ones dashed
    ``-.->``, each labelled with its relation. Labels are quoted with the
    characters Mermaid could read as syntax written as entity codes
    (``#quot;``, ``#35;``, ...), and line breaks as spaces.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("ex:a", label='Say "hi"')
    >>> g.add_node("ex:b", label="B", kind="individual")
    >>> _ = g.add_edge("ex:b", "ex:a", relation="instance of", stated=False)
    >>> print(to_mermaid(g), end="")
    flowchart BT
        n0("B")
        n1["Say #quot;hi#quot;"]
        n0 -.->|"instance of"| n1
    """
    ordered = _ordered(graph)
    ids = {node: f"n{i}" for i, node in enumerate(ordered.nodes)}
    lines = ["flowchart BT"]
    for node, data in ordered.nodes(data=True):
        text = _mermaid_text(str(data.get("label") or node))
        shape = f"({text})" if data.get("kind") == "individual" else f"[{text}]"
        lines.append(f"    {ids[node]}{shape}")
    for u, v, data in ordered.edges(data=True):
        arrow = "-->" if data.get("stated", True) else "-.->"
        relation = data.get("relation")
        label = f"|{_mermaid_text(str(relation))}|" if relation else ""
        lines.append(f"    {ids[u]} {arrow}{label} {ids[v]}")
    return "\n".join(lines) + "\n"


# -- Graphviz DOT ------------------------------------------------------------------

# Characters that may not stand in an IRI (RFC 3987), percent-encoded in node ids.
_NOT_IRI = re.compile('[\x00-\x20"<>\\\\^`{|}\x7f-\x9f\u2028\u2029]')
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")


def _dot_id(node: object) -> str:
    text = _NOT_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), str(node))
    return f'"{text}"'


def _dot_text(text: str) -> str:
    r"""Quote `text` as a DOT string that Graphviz shows as written.

    Graphviz reads entities in labels, so ``&`` and ``\`` become ``&amp;`` and
    ``&#92;`` (a backslash before the closing quote would escape it); line
    breaks become DOT's ``\n`` and other control characters spaces.
    """
    out = text.replace("&", "&amp;").replace("\\", "&#92;").replace('"', '\\"')
    out = _LINE_BREAK.sub(lambda _: "\\n", out)
    out = "".join(" " if unicodedata.category(c) == "Cc" else c for c in out)
    return f'"{out}"'


def to_dot(graph: nx.MultiDiGraph) -> str:
    r"""Return `graph` as a Graphviz DOT digraph, parents above children.

    Node ids are the quoted IRIs (characters an IRI may not hold
    percent-encoded); labels and tooltips (the definition) are quoted and
    escaped; individuals are ellipses, inferred edges ``style=dashed``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("ex:a", "ex:b", relation="is a", stated=False)
    >>> g.nodes["ex:a"]["label"] = 'A "quoted" \\ label'
    >>> print(to_dot(g), end="")
    digraph "genai-graph" {
        rankdir=BT;
        node [shape=box, style=rounded];
        "ex:a" [label="A \"quoted\" &#92; label"];
        "ex:b" [label="ex:b"];
        "ex:a" -> "ex:b" [label="is a", style=dashed];
    }
    """
    ordered = _ordered(graph)
    lines = ['digraph "genai-graph" {', "    rankdir=BT;", "    node [shape=box, style=rounded];"]
    for node, data in ordered.nodes(data=True):
        attrs = [f"label={_dot_text(str(data.get('label') or node))}"]
        if data.get("definition"):
            attrs.append(f"tooltip={_dot_text(str(data['definition']))}")
        if data.get("kind") == "individual":
            attrs.append("shape=ellipse")
        lines.append(f"    {_dot_id(node)} [{', '.join(attrs)}];")
    for u, v, data in ordered.edges(data=True):
        attrs = []
        if data.get("relation"):
            attrs.append(f"label={_dot_text(str(data['relation']))}")
        if not data.get("stated", True):
            attrs.append("style=dashed")
        tail = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {_dot_id(u)} -> {_dot_id(v)}{tail};")
    lines.append("}")
    return "\n".join(lines) + "\n"


_WRITERS: dict[str, Callable[[nx.MultiDiGraph], str]] = {
    "graphml": to_graphml,
    "cytoscape": to_cytoscape,
    "mermaid": to_mermaid,
    "dot": to_dot,
}
