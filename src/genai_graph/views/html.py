"""The interactive graph page: one self-contained, offline HTML document.

:func:`render_html` turns the networkx view of the knowledge graph into a page
that draws it with vis-network. Everything the page needs is inlined: the
vis-network bundle shipped with pyvis, the page's own CSS and JavaScript
(``templates/explorer.css`` and ``templates/explorer.js``) and the graph data,
so the page opens from disk, by e-mail or from a USB stick and makes no network
request at all. A Content-Security-Policy in the page forbids any request and
any script other than its own, as a second line of defence.

The graph data travels as JSON inside ``<script type="application/json"
id="graph-data">``, escaped so that no string in the data can end the element,
and the page's script only ever puts those strings into the DOM as text.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from ..errors import GenAIGraphError

if TYPE_CHECKING:
    import networkx as nx
    from jinja2 import Template

__all__ = ["COLLAPSE_NODE_LIMIT", "PHYSICS_NODE_LIMIT", "render_html"]

PHYSICS_NODE_LIMIT = 1000
"""Graphs with more nodes than this get a precomputed layout instead of physics."""

COLLAPSE_NODE_LIMIT = 10_000
"""Graphs with more nodes than this open collapsed to their top is-a levels.

The page then draws as many top levels as fit in ``_OPEN_NODE_BUDGET`` (2,000)
nodes, the roots at least; double-clicking a node (or "Expand all") opens the
rest on demand.
"""

_OPEN_NODE_BUDGET = 2000

_VIS_VERSION_DIR = "vis-9.1.2"

#: Fixed colours for the categories the library produces (matched ignoring case);
#: others get `_EXTRA_COLOURS`.
_CATEGORY_COLOURS: dict[str, str] = {
    "ai system": "#2563eb",
    "ai technology": "#7c3aed",
    "modality": "#0891b2",
    "application": "#16a34a",
    "limitation or risk": "#dc2626",
    "organization": "#78716c",
    "organisation": "#78716c",
    "individual": "#db2777",
}
_EXTRA_COLOURS: tuple[str, ...] = (
    "#0d9488",
    "#4f46e5",
    "#65a30d",
    "#c026d3",
    "#0284c7",
    "#a16207",
    "#475569",
    "#9333ea",
    "#be123c",
    "#15803d",
)
#: Edge colour by edge kind, and the colour of the highlighted (explanation) path.
_EDGE_COLOURS: dict[str, str] = {"subclass": "#334155", "type": "#0e7490", "relation": "#8b5cf6"}
_HIGHLIGHT_COLOUR = "#f59e0b"
_DEFAULT_RELATION = {"subclass": "is a", "type": "instance of", "relation": "related to"}

# Radial layout of large graphs: distance between rings, minimum spacing on a ring.
_RING_GAP = 220.0
_NODE_SPACING = 70.0


# -- public API ------------------------------------------------------------------


def render_html(
    graph: nx.MultiDiGraph,
    *,
    title: str = "genai-graph",
    highlight: Sequence[tuple[str, str]] = (),
    focus: str | None = None,
    levels: int | None = None,
) -> str:
    """Return one self-contained HTML document drawing `graph`.

    The page colours nodes by ``category`` (with a legend giving each
    category's count), draws individuals as diamonds and classes as dots,
    labels edges with their ``relation`` and draws inferred edges
    (``stated=False``) dashed. Hovering shows a tooltip with the label and
    definition; the search box finds labels, synonyms, CURIEs and IRIs;
    clicking a node opens a side panel with its definition, synonyms,
    sources, identifiers, relations and is-a chain up to a root.

    The legend's checkboxes filter nodes by category and edges by relation; a
    switch shows "everything" (the force-directed or precomputed layout) or
    the "taxonomy" alone (is-a and instance-of edges in a left-to-right
    hierarchical layout). Double-clicking a node collapses or expands its
    is-a subtree ("Top levels" and "Expand all" act on the whole graph), and
    the panel's "Common ancestor with..." button, followed by a click on a
    second node, shows their lowest common ancestor and highlights how each
    reaches it.

    Graphs of up to :data:`PHYSICS_NODE_LIMIT` (1,000) nodes are laid out by a
    force-directed simulation (Barnes-Hut) that is switched off once it has
    stabilised, so the page never keeps spinning. Larger graphs get a
    precomputed radial layout around the is-a hierarchy and no physics at all,
    so the page opens quickly whatever the size. Graphs of more than
    :data:`COLLAPSE_NODE_LIMIT` (10,000) nodes also open collapsed to as many
    top is-a levels as fit in 2,000 nodes (the roots are always drawn), unless
    `levels` says otherwise; the page says so and how to see more.

    The page exposes ``window.genaiGraph = {network, nodes, edges, data}``
    (the vis-network ``Network``, its node and edge DataSets and the parsed
    data) and sets ``document.body.dataset.ready = "1"`` once the graph has
    been laid out and drawn. Its Content-Security-Policy admits only its own
    two inline scripts (by hash) and no network access: scripts added to the
    file later, and code evaluated from strings, are refused (browser
    automation should pass functions, not expression strings, to the page).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        Nodes keyed by IRI with ``label``, ``kind`` (``"class"`` or
        ``"individual"``), ``category``, ``definition``, ``synonyms``,
        ``curie`` and ``sources`` (IRIs or text; http(s) ones become links)
        attributes; edges with ``relation``, ``predicate``, ``kind``
        (``"subclass"``, ``"type"`` or ``"relation"``) and ``stated``. Missing
        attributes fall back to sensible defaults (the label and CURIE to the
        node key). The graph is not modified.
    title : str, default "genai-graph"
        The page title and heading.
    highlight : sequence of (str, str)
        Node pairs of an explanation path: the edges between each pair (in
        either direction) and their nodes are drawn emphasised. Pairs naming
        unknown nodes are ignored.
    focus : str, optional
        Key of the node to select, centre on and describe when the page opens.
        Ignored when it is not a node of `graph`.
    levels : int, optional
        Open the page with only the top `levels` levels of the is-a hierarchy
        drawn (1 = the roots alone); the rest opens on double-click. ``0``
        draws everything whatever the size. Default: everything, except above
        :data:`COLLAPSE_NODE_LIMIT` nodes.

    Returns
    -------
    str
        The HTML document. It is pure ASCII (everything else is escaped), so
        it reads the same whatever encoding it is saved in. Nothing is written.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("urn:x:LLM", label="LLM", kind="class", category="AI system")
    >>> page = render_html(g, title="Models & more")
    >>> page.startswith("<!DOCTYPE html>")
    True
    >>> "<title>Models &amp; more</title>" in page
    True
    """
    from markupsafe import Markup

    template, page_css, page_js = _page_assets()
    vis_js, vis_css = _vis_assets()
    if levels is not None and levels < 0:
        raise GenAIGraphError(f"levels must be 0 or more, not {levels}")
    data = _graph_data(graph, title=title, highlight=highlight, focus=focus, levels=levels)
    scripts = (vis_js, page_js)
    html = template.render(
        title=title,
        node_count=data["stats"]["nodes"],
        edge_count=data["stats"]["edges"],
        csp=_content_security_policy(scripts),
        vis_css=Markup(vis_css),
        page_css=Markup(page_css),
        vis_js=Markup(vis_js),
        page_js=Markup(page_js),
        data_json=Markup(_json_for_script(data)),
    )
    # Scripts, styles and data are ASCII already; what is left (the title,
    # typography in the template) becomes character references.
    return html.encode("ascii", "xmlcharrefreplace").decode("ascii")


# -- assets ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """Return the vis-network JavaScript and CSS bundled with pyvis, made inline-safe."""
    lib = files("pyvis") / "templates" / "lib" / _VIS_VERSION_DIR
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return _inline_js(js), _inline_css(css)


@lru_cache(maxsize=1)
def _page_assets() -> tuple[Template, str, str]:
    """Return the compiled page template and the page's own CSS and JavaScript."""
    from jinja2 import Environment, StrictUndefined

    here = files(__name__.rpartition(".")[0]) / "templates"
    source = (here / "explorer.html").read_text(encoding="utf-8")
    css = (here / "explorer.css").read_text(encoding="utf-8")
    js = (here / "explorer.js").read_text(encoding="utf-8")
    env = Environment(
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return env.from_string(source), _inline_css(css), _inline_js(js)


def _normalise_newlines(text: str) -> str:
    """Return `text` with the newlines an HTML parser would leave (so hashes match)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _inline_js(code: str) -> str:
    r"""Return `code` safe to place between ``<script>`` and ``</script>``.

    Non-ASCII characters become ``\uXXXX`` escapes (they only occur in string
    literals in the bundled code), so the page does not depend on its encoding
    and the CSP hash is stable; ``</script`` and ``<!--`` are broken up.
    """
    code = _normalise_newlines(code)
    code = re.sub(r"[^\x00-\x7f]", _js_escape_char, code)
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


def _js_escape_char(match: re.Match[str]) -> str:
    r"""Return the JavaScript ``\u`` escape(s) of one character (surrogate pairs if needed)."""
    raw = match.group().encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{raw[i]:02x}{raw[i + 1]:02x}" for i in range(0, len(raw), 2))


def _inline_css(css: str) -> str:
    """Return `css` safe to place inside ``<style>``: ASCII only, no ``</style``."""
    css = _normalise_newlines(css)
    css = re.sub(r"[^\x00-\x7f]", lambda m: f"\\{ord(m.group()):06x}", css)
    return re.sub(r"</(style)", r"\\3c/\1", css, flags=re.IGNORECASE)


def _content_security_policy(scripts: Iterable[str]) -> str:
    """Return a CSP that allows exactly `scripts` and no network access at all."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; "
        "base-uri 'none'; "
        "form-action 'none'"
    )


def _json_for_script(data: Any) -> str:
    r"""Return `data` as JSON that cannot break out of a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u003c``, ``\u003e`` and ``\u0026``;
    non-ASCII characters (U+2028 and U+2029 included) become ``\u`` escapes.

    Examples
    --------
    >>> _json_for_script({"a": "</script>&" + chr(0x2028)})
    '{"a":"\\u003c/script\\u003e\\u0026\\u2028"}'
    """
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# -- graph data ------------------------------------------------------------------


def _text(value: Any, default: str) -> str:
    """Return `value` as a string, or `default` when it is missing or empty."""
    if value is None:
        return default
    text = str(value)
    return text if text else default


def _strings(value: Any) -> list[str]:
    """Return `value` (None, a string or an iterable of strings) as a list without duplicates."""
    if value is None:
        return []
    items: Iterable[Any] = [value] if isinstance(value, str) else value
    out: list[str] = []
    try:
        for item in items:
            text = str(item)
            if text and text not in out:
                out.append(text)
    except TypeError:
        return [str(value)]
    return out


def _local_name(iri: str) -> str:
    """Return the part of `iri` after its last ``#``, ``/`` or ``:``."""
    return re.split(r"[#/:]", iri.rstrip("#/"))[-1] or iri


def _category_key(name: str) -> str:
    """Return `name` case-folded with its whitespace collapsed, to match known categories."""
    return " ".join(name.casefold().split())


def _category_colours(categories: Iterable[str]) -> dict[str, str]:
    """Return a colour for each category: fixed ones first, then a stable palette."""
    colours: dict[str, str] = {}
    names = set(categories)
    for name in names:
        if _category_key(name) in _CATEGORY_COLOURS:
            colours[name] = _CATEGORY_COLOURS[_category_key(name)]
    extra = sorted(names - set(colours), key=lambda c: (_category_key(c), c))
    for i, name in enumerate(extra):
        if i < len(_EXTRA_COLOURS):
            colours[name] = _EXTRA_COLOURS[i]
        else:  # many categories: walk the hue circle by the golden angle
            colours[name] = _hsl_hex((i * 137.508) % 360, 0.55, 0.45)
    return colours


def _hsl_hex(hue: float, saturation: float, lightness: float) -> str:
    """Return the ``#rrggbb`` colour of an HSL triple (hue in degrees)."""
    chroma = (1 - abs(2 * lightness - 1)) * saturation
    x = chroma * (1 - abs((hue / 60) % 2 - 1))
    m = lightness - chroma / 2
    sector = int(hue // 60) % 6
    r, g, b = [
        (chroma, x, 0.0),
        (x, chroma, 0.0),
        (0.0, chroma, x),
        (0.0, x, chroma),
        (x, 0.0, chroma),
        (chroma, 0.0, x),
    ][sector]
    return "#" + "".join(f"{round((c + m) * 255):02x}" for c in (r, g, b))


def _graph_data(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    highlight: Sequence[tuple[str, str]],
    focus: str | None,
    levels: int | None = None,
) -> dict[str, Any]:
    """Return the JSON-ready description of `graph` that the page script draws."""
    ids: dict[Hashable, str] = {key: str(key) for key in graph.nodes}
    known = set(ids.values())
    pairs = {(str(u), str(v)) for u, v in highlight}
    pairs = {(u, v) for u, v in pairs if u in known and v in known}
    highlighted_nodes = {n for pair in pairs for n in pair}

    nodes: list[dict[str, Any]] = []
    for key, attrs in graph.nodes(data=True):
        node_id = ids[key]
        kind = "individual" if attrs.get("kind") == "individual" else "class"
        nodes.append(
            {
                "id": node_id,
                "label": _text(attrs.get("label"), node_id),
                "kind": kind,
                "category": _text(attrs.get("category"), kind),
                "definition": _text(attrs.get("definition"), "") or None,
                "synonyms": _strings(attrs.get("synonyms")),
                "curie": _text(attrs.get("curie"), node_id),
                "sources": _strings(attrs.get("sources")),
                "highlight": node_id in highlighted_nodes,
            }
        )

    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["category"]] = counts.get(node["category"], 0) + 1
    colours = _category_colours(counts)
    for node in nodes:
        node["color"] = colours[node["category"]]

    edges: list[dict[str, Any]] = []
    parallel: dict[frozenset[str], int] = {}
    edge_counts = {"subclass": 0, "type": 0, "relation": 0, "stated": 0, "inferred": 0, "path": 0}
    for i, (u, v, attrs) in enumerate(graph.edges(data=True)):
        source, target = ids[u], ids[v]
        kind = attrs.get("kind")
        kind = kind if kind in _EDGE_COLOURS else "relation"
        predicate = _text(attrs.get("predicate"), "")
        relation = _text(attrs.get("relation"), "")
        if not relation:
            relation = _local_name(predicate) if predicate else _DEFAULT_RELATION[kind]
        stated = attrs.get("stated", True) is not False
        emphasised = (source, target) in pairs or (target, source) in pairs
        pair = frozenset((source, target))
        rank = parallel.get(pair, 0)
        parallel[pair] = rank + 1
        edges.append(
            {
                "id": f"e{i}",
                "from": source,
                "to": target,
                "relation": relation,
                "predicate": predicate,
                "kind": kind,
                "stated": stated,
                "highlight": emphasised,
                "curve": rank,
                "color": _HIGHLIGHT_COLOUR if emphasised else _EDGE_COLOURS[kind],
            }
        )
        edge_counts[kind] += 1
        edge_counts["stated" if stated else "inferred"] += 1
        edge_counts["path"] += emphasised

    large = len(nodes) > PHYSICS_NODE_LIMIT
    isa = [(e["from"], e["to"]) for e in edges if e["kind"] != "relation"]
    if large:
        positions = _radial_layout([n["id"] for n in nodes], isa)
        for node in nodes:
            node["x"], node["y"] = positions[node["id"]]
    if levels is None:
        levels = (
            _levels_within([n["id"] for n in nodes], isa, _OPEN_NODE_BUDGET)
            if len(nodes) > COLLAPSE_NODE_LIMIT
            else 0
        )

    relation_counts: dict[tuple[str, str], int] = {}
    for e in edges:
        key = (e["kind"], e["relation"])
        relation_counts[key] = relation_counts.get(key, 0) + 1
    kind_order = {"subclass": 0, "type": 1, "relation": 2}

    focus_id = str(focus) if focus is not None and str(focus) in known else None
    return {
        "title": title,
        "nodes": nodes,
        "edges": edges,
        "focus": focus_id,
        "layout": {
            "physics": not large,
            "nodeLimit": PHYSICS_NODE_LIMIT,
            "collapseLimit": COLLAPSE_NODE_LIMIT,
            "levels": levels,
        },
        "stats": {"nodes": len(nodes), "edges": len(edges)},
        "legend": {
            "categories": [
                {"name": name, "color": colours[name], "count": counts[name]}
                for name in sorted(counts, key=_legend_order)
            ],
            "shapes": [
                {"name": kind, "shape": shape, "count": n}
                for kind, shape, n in (
                    ("class", "dot", sum(n["kind"] == "class" for n in nodes)),
                    ("individual", "diamond", sum(n["kind"] == "individual" for n in nodes)),
                )
                if n
            ],
            "edges": _edge_legend(edge_counts),
            "relations": [
                {"name": relation, "kind": kind, "count": n}
                for (kind, relation), n in sorted(
                    relation_counts.items(),
                    key=lambda item: (kind_order[item[0][0]], item[0][1].casefold(), item[0]),
                )
            ],
        },
    }


def _legend_order(category: str) -> tuple[int, str]:
    """Sort key: the library's categories in their usual order, then the rest by name."""
    order = list(_CATEGORY_COLOURS)
    key = _category_key(category)
    return (order.index(key), category) if key in order else (len(order), key + category)


def _edge_legend(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """Return the edge-style legend entries for the edge kinds present."""
    entries = [
        ("subclass", "is a", _EDGE_COLOURS["subclass"], "solid"),
        ("type", "instance of", _EDGE_COLOURS["type"], "solid"),
        ("relation", "other relation", _EDGE_COLOURS["relation"], "solid"),
        ("stated", "stated", "#64748b", "solid"),
        ("inferred", "inferred", "#64748b", "dashed"),
        ("path", "explanation path", _HIGHLIGHT_COLOUR, "thick"),
    ]
    return [
        {"key": key, "name": name, "color": colour, "style": style, "count": counts[key]}
        for key, name, colour, style in entries
        if counts[key]
    ]


def _levels_within(
    node_ids: Sequence[str], parent_edges: Iterable[tuple[str, str]], budget: int
) -> int:
    """Return how many top is-a levels (at least 1) fit in `budget` nodes.

    Level 1 holds the roots (nodes without parents, loners included), level
    k+1 their children, and so on; nodes the walk never reaches (cycles with
    no root) count on level 1, since the page shows them too.
    """
    known = set(node_ids)
    children: dict[str, list[str]] = {}
    has_parent: set[str] = set()
    for child, parent in parent_edges:
        if child != parent and child in known and parent in known:
            children.setdefault(parent, []).append(child)
            has_parent.add(child)
    level = [n for n in node_ids if n not in has_parent]
    seen = set(level)
    shown = len(level)
    depth = 1
    while level:
        nxt = [c for n in level for c in children.get(n, ()) if c not in seen]
        nxt = list(dict.fromkeys(nxt))
        if not nxt or shown + len(nxt) > budget:
            break
        seen.update(nxt)
        shown += len(nxt)
        level = nxt
        depth += 1
    return depth


def _radial_layout(
    node_ids: Sequence[str], parent_edges: Iterable[tuple[str, str]]
) -> dict[str, tuple[float, float]]:
    """Return a radial tree layout of the is-a hierarchy, one ring per depth.

    A breadth-first spanning forest is taken from the roots (nodes with
    children but no parent; then, for cycles without a root, any node left).
    Each tree node gets a wedge of the circle proportional to the size of its
    subtree and sits in the middle of it, so is-a edges run roughly along
    radii. Each ring is made large enough, and its nodes pushed apart enough,
    to keep `_NODE_SPACING` between neighbours. Nodes with neither parent nor
    child go on an outer ring. Runs in O(n log n).
    """
    parents: dict[str, list[str]] = {n: [] for n in node_ids}
    children: dict[str, list[str]] = {n: [] for n in node_ids}
    for child, parent in parent_edges:
        if child != parent and child in parents and parent in parents:
            parents[child].append(parent)
            children[parent].append(child)

    # Breadth-first spanning forest.
    depth: dict[str, int] = {}
    tree_children: dict[str, list[str]] = {}
    order: list[str] = []
    roots: list[str] = []

    def grow(starts: Iterable[str]) -> None:
        queue: deque[str] = deque()
        for start in starts:
            if start not in depth:
                depth[start] = 0
                roots.append(start)
                queue.append(start)
        while queue:
            node = queue.popleft()
            order.append(node)
            tree_children[node] = []
            for child in children[node]:
                if child not in depth:
                    depth[child] = depth[node] + 1
                    tree_children[node].append(child)
                    queue.append(child)

    grow(n for n in node_ids if not parents[n] and children[n])
    for n in node_ids:  # cycles without a root: start a tree at the first node left
        if n not in depth and (parents[n] or children[n]):
            grow([n])
    loners = [n for n in node_ids if n not in depth]

    # Wedges proportional to subtree sizes; a node sits mid-wedge.
    size: dict[str, int] = {}
    for node in reversed(order):
        size[node] = 1 + sum(size[c] for c in tree_children[node])
    angle: dict[str, float] = {}
    wedge: dict[str, tuple[float, float]] = {}
    start = 0.0
    for root in roots:
        width = 2 * math.pi * size[root] / max(1, len(order))
        wedge[root] = (start, width)
        start += width
    for node in order:
        begin, width = wedge[node]
        angle[node] = begin + width / 2
        below = size[node] - 1
        for child in tree_children[node]:
            share = width * size[child] / below
            wedge[child] = (begin, share)
            begin += share

    rings: list[list[str]] = []
    for node in order:
        if len(rings) <= depth[node]:
            rings.append([])
        rings[depth[node]].append(node)
    if loners:
        rings.append(loners)
        for k, node in enumerate(loners):
            angle[node] = 2 * math.pi * k / len(loners)

    positions: dict[str, tuple[float, float]] = {}
    radius = 0.0
    for level, ring in enumerate(rings):
        needed = len(ring) * _NODE_SPACING / (2 * math.pi)
        if level == 0:
            radius = 0.0 if len(ring) == 1 else max(needed, _RING_GAP / 2)
        else:
            radius = max(radius + _RING_GAP, needed)
        thetas = _spread([angle[n] for n in ring], _NODE_SPACING / radius if radius else 0.0)
        while thetas is None:  # too crowded around their parents: use a larger ring
            radius *= 1.25
            thetas = _spread([angle[n] for n in ring], _NODE_SPACING / radius)
        for node, theta in zip(ring, thetas, strict=True):
            positions[node] = (
                round(radius * math.cos(theta), 1),
                round(radius * math.sin(theta), 1),
            )
    return positions


def _spread(ideal: Sequence[float], gap: float) -> list[float] | None:
    """Return angles near `ideal`, at least `gap` apart round the circle, or None if impossible.

    Angles keep their order; a forward sweep pushes crowded ones on, then all
    are turned back by the mean displacement so that they stay centred on
    their ideal places. None means that the ring needs a larger radius.
    """
    if len(ideal) < 2 or gap <= 0:
        return list(ideal)
    ranked = sorted(range(len(ideal)), key=lambda i: ideal[i])
    spread = [ideal[i] for i in ranked]
    for k in range(1, len(spread)):
        spread[k] = max(spread[k], spread[k - 1] + gap)
    if spread[-1] - spread[0] > 2 * math.pi - gap:
        return None
    shift = sum(spread[k] - ideal[i] for k, i in enumerate(ranked)) / len(spread)
    result = [0.0] * len(ideal)
    for k, i in enumerate(ranked):
        result[i] = spread[k] - shift
    return result
